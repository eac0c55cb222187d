import { isFinished, type GenerationRun } from '../../state/generationRun';
import { useAppStore } from '../../state/store';

/**
 * "Branch after call N" in a run's header: rewinds to the frame on screen and sets up a branch
 * from it with other settings (the form is in RunTreePanel). Any finished run can be branched,
 * at any call, the start included; seek to a call first (the timeline, ←/→, or a row of the
 * history grid).
 */
export function BranchButton({ run, fits }: { run: GenerationRun; fits: boolean }) {
  const frame = useAppStore((s) => Math.min(s.frame, run.records.length));
  const ready = useAppStore((s) => s.modelStatus === 'ready');
  const open = useAppStore((s) => s.openBranch);
  const driving = useAppStore((s) => s.drive !== null && s.drive.status !== 'done');
  const name = run.key.toUpperCase();
  const canvas = frame === 0 ? run.initial : run.records[frame - 1].after;
  const masked = canvas.some((t, i) => t === run.maskId && !run.pinned[i]);
  const usable = ready && fits && isFinished(run) && run.status !== 'error' && !driving && masked;
  return (
    <button
      type="button"
      className="quiet branch-button"
      aria-label={`${frame === 0 ? 'Branch from the start' : `Branch after call ${frame}`} of run ${name}`}
      disabled={!usable}
      title={
        usable
          ? `A new run that keeps calls 1–${frame} of this one and goes on with other settings`
          : !masked
            ? `Nothing is masked after call ${frame}: go back to an earlier call to branch from it`
            : 'Available when the run is done and the model is loaded'
      }
      onClick={() => open(run.key, frame)}
    >
      {frame === 0 ? 'Branch from the start' : `Branch after call ${frame}`}
    </button>
  );
}
