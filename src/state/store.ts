import { create } from 'zustand';
import { createModelSlice, type ModelSlice } from './modelSlice';
import { createGenerationSlice, type GenerationSlice } from './generationSlice';
import { createExplorerSlice, type ExplorerSlice } from './explorerSlice';

export type AppState = ModelSlice & GenerationSlice & ExplorerSlice;

export const useAppStore = create<AppState>()((...a) => ({
  ...createModelSlice(...a),
  ...createGenerationSlice(...a),
  ...createExplorerSlice(...a),
}));
