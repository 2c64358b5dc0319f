/**
 * One engine per output directory: a second verb there would synthesize over the first one's
 * stacks and plan over its saved plans (an apply would then run a plan nobody checked).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import * as path from "path";
import { UsageError } from "./args";

/** Claims outdir with a file holding this process's pid, released at exit; a dead holder's claim is taken over. */
export function holdOutdir(outdir: string): void {
  mkdirSync(outdir, { recursive: true });
  const file = path.join(outdir, "engine.pid");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: "wx" });
      process.on("exit", () => rmSync(file, { force: true }));
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const holder = Number(readFileSync(file, "utf8").trim());
      if (holder && holder !== process.pid && isAlive(holder)) {
        throw new UsageError(`another verb (pid ${holder}) is working in ${outdir}; wait for it, or give this one its own --outdir`);
      }
      rmSync(file, { force: true });
    }
  }
  throw new UsageError(`could not claim ${outdir} (${file})`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
