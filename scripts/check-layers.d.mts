/** The layer of a module (a path relative to src/): lower numbers are lower layers. */
export function layerOf(module: string): number;
/** The relative imports of one source: static, re-exports and dynamic `import()`. */
export function importsOf(text: string): string[];
/** Each module under root (relative to it) and the modules it imports. */
export function importGraph(root?: string): Map<string, string[]>;
/** Strongly connected components of more than one module, or a module importing itself. */
export function cycles(graph: Map<string, string[]>): string[][];
/** Imports from a lower layer to a higher one, as "from → to". */
export function upwardImports(graph: Map<string, string[]>): string[];
