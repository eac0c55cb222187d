import { create } from 'zustand';
import { createModelSlice, type ModelSlice } from './modelSlice';
import { createGenerationSlice, type GenerationSlice } from './generationSlice';

export type AppState = ModelSlice & GenerationSlice;

export const useAppStore = create<AppState>()((...a) => ({
  ...createModelSlice(...a),
  ...createGenerationSlice(...a),
}));
