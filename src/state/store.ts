import { create } from 'zustand';
import { createModelSlice, type ModelSlice } from './modelSlice';
import { createGenerationSlice, type GenerationSlice } from './generationSlice';
import { createExplorerSlice, type ExplorerSlice } from './explorerSlice';
import { createTrainingSlice, type TrainingSlice } from './trainingSlice';
import { createLabsSlice, type LabsSlice } from './labsSlice';
import { createReversalSlice, type ReversalSlice } from './reversalSlice';
import { createLinkSlice, type LinkSlice } from './linkSlice';
import { createRunTreeSlice, type RunTreeSlice } from './runTreeSlice';
import { createDriveSlice, type DriveSlice } from './driveSlice';

export type AppState = ModelSlice &
  GenerationSlice &
  ExplorerSlice &
  TrainingSlice &
  LabsSlice &
  ReversalSlice &
  LinkSlice &
  RunTreeSlice &
  DriveSlice;

export const useAppStore = create<AppState>()((...a) => ({
  ...createModelSlice(...a),
  ...createGenerationSlice(...a),
  ...createExplorerSlice(...a),
  ...createTrainingSlice(...a),
  ...createLabsSlice(...a),
  ...createReversalSlice(...a),
  ...createLinkSlice(...a),
  ...createRunTreeSlice(...a),
  ...createDriveSlice(...a),
}));
