import { useEffect, useState } from 'preact/hooks';

/** A value that views subscribe to: the session, and little else, is shared across the console. */
export class Store<T> {
  #listeners = new Set<(value: T) => void>();
  #value: T;
  constructor(value: T) {
    this.#value = value;
  }

  get value(): T {
    return this.#value;
  }

  set(value: T): void {
    this.#value = value;
    for (const listener of this.#listeners) listener(value);
  }

  subscribe(listener: (value: T) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

export function useStore<T>(store: Store<T>): T {
  const [value, setValue] = useState(store.value);
  useEffect(() => store.subscribe(setValue), [store]);
  return value;
}
