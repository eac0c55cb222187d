import { lazy, type ComponentType } from 'react';
import { GenerateView } from './generate/GenerateView';

// Every view but the first is a chunk of its own, downloaded when its tab is first opened: the
// first page load carries neither KaTeX (Explore), the trainer (Train) nor the labs.
const ExploreView = lazy(() =>
  import('./explore/ExploreView').then((m) => ({ default: m.ExploreView })),
);
const TrainView = lazy(() => import('./train/TrainView').then((m) => ({ default: m.TrainView })));
const LabsView = lazy(() => import('./labs/LabsView').then((m) => ({ default: m.LabsView })));

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
