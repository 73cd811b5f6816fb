import { useEffect, useState } from 'preact/hooks';

/**
 * Hash routes (#/applications/…): the console is one static page, so that CloudFront can send every
 * API path to the API and nothing else to the page.
 */
export function useRoute(): string {
  const [route, setRoute] = useState(currentRoute());
  useEffect(() => {
    const update = () => setRoute(currentRoute());
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}

export function currentRoute(): string {
  return location.hash.replace(/^#/, '') || '/';
}

export function navigate(route: string): void {
  location.hash = route;
}

/** Matches "/tasks/:taskId" against a route; undefined when it does not match. */
export function match(pattern: string, route: string): Record<string, string> | undefined {
  const names: string[] = [];
  const source = pattern.replace(/:(\w+)/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  const found = new RegExp(`^${source}$`).exec(route.split('?')[0]!);
  if (!found) return undefined;
  return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(found[i + 1]!)]));
}
