import type { Page } from '@playwright/test';

/** The alert that names what is wrong with a model package the page refused. */
export const modelError = (page: Page) => page.getByRole('alert', { name: 'Model error' });

/** Drops files on the package drop zone, as a person dragging them from a file manager. */
export async function dropFiles(page: Page, files: { name: string; bytes: Uint8Array }[]) {
  const transfer = await page.evaluateHandle(
    (list) => {
      const dt = new DataTransfer();
      for (const f of list) dt.items.add(new File([new Uint8Array(f.bytes)], f.name));
      return dt;
    },
    files.map((f) => ({ name: f.name, bytes: [...f.bytes] })),
  );
  await page
    .getByRole('group', { name: 'Your model package' })
    .dispatchEvent('drop', { dataTransfer: transfer });
}
