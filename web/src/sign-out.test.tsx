// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Layout } from './components/Layout.js';
import { RequireSection } from './components/RequireSection.js';
import { Providers } from './components/Providers.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const ADMIN = { principal: { id: 'p1', name: 'Admin', role: 'administrator', organisation: 'hub', country: 'BE' }, csrfToken: 'c', expiresAt: '2026-11-26T00:00:00Z', idleTimeoutSeconds: 1800 };

/** The server's side of the session, as the console sees it: signed in until a DELETE. */
function sessionServer(signedIn = true): string[] {
  const calls: string[] = [];
  vi.stubGlobal('fetch', (path: string, init: RequestInit) => {
    calls.push(`${init.method} ${path}`);
    if (init.method === 'DELETE') {
      signedIn = false;
      return Promise.resolve(new Response(null, { status: 204 }));
    }
    return Promise.resolve(signedIn ? Response.json(ADMIN) : Response.json({ code: 'UNAUTHENTICATED' }, { status: 401 }));
  });
  return calls;
}

function Console() {
  return (
    <Providers>
      <Routes>
        <Route element={<Layout />}>
          <Route path="sign-in" element={<p>sign-in page</p>} />
          <Route path="admin" element={<RequireSection section="admin"><p>admin page</p></RequireSection>} />
        </Route>
      </Routes>
    </Providers>
  );
}

describe('signing out', () => {
  it('ends on the plain sign-in page: the next person to sign in is not sent to the page the last one had open', async () => {
    localStorage.setItem('glasshub.lang', 'en');
    window.history.replaceState(null, '', '/admin');
    const calls = sessionServer();
    render(<Console />);
    await screen.findByText('admin page');
    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    await screen.findByText('sign-in page');
    // Give a redirect that would still be pending (the section's own, with ?next=) its chance to run.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await waitFor(() => expect(window.location.pathname + window.location.search).toBe('/sign-in'));
    expect(calls).toEqual(['GET /api/v1/session', 'DELETE /api/v1/session']);
  });

  it('still leads back to the page asked for when there was no session to begin with', async () => {
    window.history.replaceState(null, '', '/admin?tab=principals');
    sessionServer(false);
    render(<Console />);
    await screen.findByText('sign-in page');
    expect(window.location.pathname + window.location.search).toBe('/sign-in?next=%2Fadmin%3Ftab%3Dprincipals');
  });
});
