/**
 * The pages of a paged AWS call, one after another: `fetch` gets the token the previous page gave
 * (none for the first), `tokenOf` reads the next one from a page. Stop iterating to stop reading.
 */
export async function* pages<P>(
  fetch: (token: string | undefined) => Promise<P>,
  tokenOf: (page: P) => string | undefined,
): AsyncGenerator<P> {
  let token: string | undefined;
  do {
    const page = await fetch(token);
    yield page;
    token = tokenOf(page);
  } while (token);
}

/** Every item of every page of a paged AWS call (see {@link pages}). */
export async function allOf<P, T>(
  fetch: (token: string | undefined) => Promise<P>,
  tokenOf: (page: P) => string | undefined,
  itemsOf: (page: P) => T[] | undefined,
): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages(fetch, tokenOf)) all.push(...(itemsOf(page) ?? []));
  return all;
}
