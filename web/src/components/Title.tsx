import { useEffect, type ReactNode } from 'react';

/** The page's h1 and the document title together (WCAG 2.4.2). */
export function Title({ children }: { readonly children: string }): ReactNode {
  useEffect(() => {
    document.title = `${children} — glasshub`;
  }, [children]);
  return <h1>{children}</h1>;
}
