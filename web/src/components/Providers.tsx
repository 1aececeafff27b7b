import type { ReactNode } from 'react';
import { BrowserRouter } from 'react-router';
import { I18nProvider } from '../i18n/index.js';
import { SessionProvider } from '../session.js';

/** What every view of the console sits in: the language, the session, the router. */
export function Providers({ children }: { readonly children: ReactNode }): ReactNode {
  return (
    <I18nProvider>
      <SessionProvider>
        <BrowserRouter>{children}</BrowserRouter>
      </SessionProvider>
    </I18nProvider>
  );
}
