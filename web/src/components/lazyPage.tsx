import { use, type ComponentType, type ReactNode } from 'react';

export interface LazyPage {
  (): ReactNode;
  /** Starts loading the chunk (idempotent); the page then renders without suspending if it is ready. */
  preload: () => Promise<ComponentType>;
}

/**
 * Like React.lazy, but a chunk that is already loaded renders at once. React.lazy suspends on first render
 * even then, and React holds a revealed Suspense boundary back for up to 300 ms — on the first page, that is
 * 300 ms of "Loading…" for nothing.
 */
export function lazyPage(load: () => Promise<{ default: ComponentType }>): LazyPage {
  let loaded: ComponentType | null = null;
  let pending: Promise<ComponentType> | null = null;
  const preload = (): Promise<ComponentType> =>
    (pending ??= load().then((m) => {
      loaded = m.default;
      return m.default;
    }));
  function Page(): ReactNode {
    const Component = loaded ?? use(preload());
    return <Component />;
  }
  return Object.assign(Page, { preload });
}
