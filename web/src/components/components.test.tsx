// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { I18nProvider, useI18n } from '../i18n/index.js';
import { BarChart } from './BarChart.js';

afterEach(cleanup);

describe('BarChart', () => {
  it('draws one bar per value and carries the same figures in a table', () => {
    render(<BarChart title="Flags by rule" labelHeader="Rule" valueLabel="Count" data={[{ label: 'undervalued', value: 12 }, { label: 'split', value: 3 }]} />);
    const figure = screen.getByRole('figure', { name: 'Flags by rule' });
    expect(figure.querySelectorAll('rect.bar')).toHaveLength(2);
    const cells = [...figure.querySelectorAll('tbody td')].map((td) => td.textContent);
    expect(cells).toEqual(['undervalued', '12', 'split', '3']);
    expect(screen.getByRole('img', { name: 'Flags by rule' })).toBeTruthy();
  });
});

function Probe() {
  const { t, setLang } = useI18n();
  return (
    <>
      <p>{t('trackTitle')}</p>
      <button type="button" onClick={() => setLang('de')}>
        de
      </button>
    </>
  );
}

describe('I18nProvider', () => {
  it('starts from the remembered language, switches, remembers and sets <html lang>', () => {
    localStorage.setItem('glasshub.lang', 'fr');
    render(
      <I18nProvider>
        <Probe />
      </I18nProvider>,
    );
    expect(screen.getByText('Suivre un colis')).toBeTruthy();
    expect(document.documentElement.lang).toBe('fr');
    act(() => {
      fireEvent.click(screen.getByRole('button', { name: 'de' }));
    });
    expect(screen.getByText('Sendung verfolgen')).toBeTruthy();
    expect(localStorage.getItem('glasshub.lang')).toBe('de');
    expect(document.documentElement.lang).toBe('de');
  });
});
