/** Small transport glyphs drawn as SVG, so they do not depend on the fonts installed. */
const common = { width: 14, height: 14, viewBox: '0 0 14 14', 'aria-hidden': true } as const;

export const StepBackIcon = () => (
  <svg {...common}>
    <rect x="1.5" y="2" width="2" height="10" fill="currentColor" />
    <path d="M12 2 L4.5 7 L12 12 Z" fill="currentColor" />
  </svg>
);

export const StepForwardIcon = () => (
  <svg {...common}>
    <path d="M2 2 L9.5 7 L2 12 Z" fill="currentColor" />
    <rect x="10.5" y="2" width="2" height="10" fill="currentColor" />
  </svg>
);

export const PlayIcon = () => (
  <svg {...common}>
    <path d="M3 1.5 L12.5 7 L3 12.5 Z" fill="currentColor" />
  </svg>
);

export const PauseIcon = () => (
  <svg {...common}>
    <rect x="2.5" y="2" width="3" height="10" fill="currentColor" />
    <rect x="8.5" y="2" width="3" height="10" fill="currentColor" />
  </svg>
);

export const ReplayIcon = () => (
  <svg {...common}>
    <path
      d="M3.2 4.2 A5 5 0 1 1 2 7.5"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
    />
    <path d="M1 1.5 L1.2 5.6 L5.2 5 Z" fill="currentColor" />
  </svg>
);
