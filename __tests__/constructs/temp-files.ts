/** Files of a test's own, in a temporary directory removed after the test file. */
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import * as os from "os";
import * as path from "path";

/** A writer of numbered `.yaml` files in a new temporary directory (removed by afterAll). */
export function tempValuesFiles(prefix: string): (text: string) => string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let files = 0;
  return (text: string) => {
    const file = path.join(dir, `values-${++files}.yaml`);
    writeFileSync(file, text);
    return file;
  };
}
