import { useLayoutEffect, useState, type RefObject } from 'react';

/**
 * The content width of an element, followed as it resizes (0 before the first layout). Charts
 * draw at this width instead of scaling a fixed drawing, so their 12 px labels stay 12 px on a
 * phone; the token strip and the history grid fit their cells to it.
 */
export function useElementWidth(ref: RefObject<Element | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.getBoundingClientRect().width);
    const observer = new ResizeObserver(([entry]) => setWidth(entry.contentRect.width));
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

/** A chart's drawing width: the room it has, at most its natural width (and 240 before layout). */
export const chartWidth = (room: number, natural: number) =>
  room > 0 ? Math.min(natural, Math.floor(room)) : Math.min(natural, 240);
