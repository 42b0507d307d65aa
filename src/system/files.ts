/** Whether a path exists, for checks that only need to know that (no read, no race-free claim). */
import { promises as fs } from 'node:fs';

export async function pathExists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}
