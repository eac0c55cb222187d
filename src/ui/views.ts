import type { ComponentType } from 'react';
import { GenerateView } from './generate/GenerateView';

/** The page's views, in tab order; the URL hash's `view` picks one. */
export const VIEWS = [
  { id: 'generate', title: 'Generate', component: GenerateView },
] as const satisfies readonly {
  id: string;
  title: string;
  component: ComponentType;
}[];

export type ViewId = (typeof VIEWS)[number]['id'];
