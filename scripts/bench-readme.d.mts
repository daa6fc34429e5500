export const START: string;
export const END: string;
export function updateReadme(readmePath: string, markdown: string): void;
