import { useEffect } from 'react';
import { playableFrame } from '../../state/generationRun';
import { useAppStore } from '../../state/store';

const NON_TEXT_INPUTS = new Set([
  'range',
  'checkbox',
  'radio',
  'button',
  'submit',
  'reset',
  'file',
]);

/**
 * Space plays or pauses, ←/→ step, Home/End jump to the first and the newest frame — unless the
 * key belongs to what has focus: typing in a text or number field, choosing in a select, Space
 * on a button (which presses it), or arrows on the timeline (which moves it itself).
 */
export function useTransportKeys(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
      const target = e.target instanceof HTMLElement ? e.target : null;
      const tag = target?.tagName ?? '';
      const type = target instanceof HTMLInputElement ? target.type : '';
      const inTextField =
        target?.isContentEditable ||
        tag === 'TEXTAREA' ||
        tag === 'SELECT' ||
        (tag === 'INPUT' && !NON_TEXT_INPUTS.has(type));
      if (inTextField) return;
      const pressable =
        tag === 'BUTTON' || tag === 'SUMMARY' || (tag === 'INPUT' && type !== 'range');
      const s = useAppStore.getState();
      switch (e.key) {
        case ' ':
          if (pressable) return;
          s.togglePlay();
          break;
        case 'ArrowRight':
          if (type === 'range') return;
          s.stepForward();
          break;
        case 'ArrowLeft':
          if (type === 'range') return;
          s.stepBack();
          break;
        case 'Home':
          if (type === 'range') return;
          s.seek(0);
          break;
        case 'End':
          if (type === 'range') return;
          s.seek(playableFrame(s.runs));
          break;
        default:
          return;
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
