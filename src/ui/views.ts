import type { ComponentType } from 'react';
import { GenerateView } from './generate/GenerateView';
import { ExploreView } from './explore/ExploreView';
import { TrainView } from './train/TrainView';
import { LabsView } from './labs/LabsView';

/** The page's views, in tab order; the URL hash's `view` picks one. */
export const VIEWS = [
  { id: 'generate', title: 'Generate', component: GenerateView },
  { id: 'explore', title: 'Explore', component: ExploreView },
  { id: 'train', title: 'Train', component: TrainView },
  { id: 'labs', title: 'Labs', component: LabsView },
] as const satisfies readonly {
  id: string;
  title: string;
  component: ComponentType;
}[];

export type ViewId = (typeof VIEWS)[number]['id'];
