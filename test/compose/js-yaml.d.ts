// js-yaml 4 is in node_modules through eslint (no @types package installed): the one call used here.
declare module 'js-yaml' {
  export function load(text: string): unknown;
}
