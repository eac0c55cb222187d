/** The URL of a file served gzipped (scripts/vite/gzippedAssets.ts). */
declare module '*?gzip-url' {
  const url: string;
  export default url;
}
