/**
 * What a synthesized stack's backend holds, read without Terraform (no `init`, no providers):
 * whether the stack has state, how many resources it records, whether a lock object is there, and
 * whether an earlier apply was cut off. The operator verbs check these before and after every
 * Terraform run, so that no failure looks like success.
 */
import { existsSync, readFileSync, unlinkSync, writeFileSync } from "fs";
import * as os from "os";
import * as path from "path";
import { AwsCli, AwsCliError } from "../lib/aws-cli";

/** The lock object Terraform's S3 backend writes with use_lockfile (its JSON body). */
export interface LockInfo {
  readonly ID: string;
  readonly Operation?: string;
  readonly Who?: string;
  readonly Version?: string;
  readonly Created?: string;
  readonly Path?: string;
}

/** Written before an apply, deleted once the apply is verified: its presence means the last apply was cut off. */
export interface ApplyMarker {
  readonly started: string;
  readonly who: string;
  readonly pid: number;
}

interface SynthesizedBackend {
  s3?: { bucket: string; key: string };
  local?: { path: string };
}

/** Terraform merges `*_override.tf.json` over the stack's code: a backend there replaces the synthesized one (bootstrap-state.ts). */
export const BACKEND_OVERRIDE_FILE = "backend_override.tf.json";

/** The backend type the directory was last initialized with, or undefined when it never was. */
export function initializedBackend(stackDir: string): string | undefined {
  const file = path.join(stackDir, ".terraform", "terraform.tfstate");
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, "utf8")) as { backend?: { type?: string } }).backend?.type;
}

/** The backend type the directory's code declares now: a backend override's, else the synthesized one's. */
export function declaredBackend(stackDir: string): string {
  const override = path.join(stackDir, BACKEND_OVERRIDE_FILE);
  const backend = existsSync(override) ? (JSON.parse(readFileSync(override, "utf8")).terraform?.backend ?? {}) : readBackend(stackDir);
  return Object.keys(backend)[0] ?? "local";
}

export function readBackend(stackDir: string): SynthesizedBackend {
  const json = JSON.parse(readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8"));
  return (json.terraform?.backend ?? {}) as SynthesizedBackend;
}

export function who(): string {
  return `${os.userInfo().username}@${os.hostname()}`;
}

export interface Presence {
  readonly state: boolean;
  readonly lock: boolean;
  readonly marker: boolean;
}

export interface StackBackend {
  /** e.g. "s3://bucket/key" or a file path */
  readonly location: string;
  readonly lockLocation: string | undefined;
  /** undefined: no state. Otherwise the number of resources the state records. */
  countStateResources(): number | undefined;
  /** The state as Terraform wrote it (JSON), or undefined when there is none. */
  stateText(): string | undefined;
  /** Which of the state, its lock and the apply marker exist (one listing, no bodies read). */
  presence(): Presence;
  lock(): LockInfo | undefined;
  /** Deletes the lock object if it still has this ID. */
  removeLock(id: string): void;
  marker(): ApplyMarker | undefined;
  setMarker(): void;
  clearMarker(): void;
  /** After a verified destroy: the state object goes, so "no state" means "not deployed". */
  deleteState(): void;
}

/** The tainted objects a state records: address, type and the attributes it holds. */
export function taintedObjects(stateText: string): { address: string; type: string; attributes: Record<string, unknown> }[] {
  type Instance = { status?: string; index_key?: string | number; attributes?: Record<string, unknown> };
  const state = JSON.parse(stateText) as { resources?: { module?: string; mode?: string; type: string; name: string; instances?: Instance[] }[] };
  return (state.resources ?? [])
    .filter((r) => r.mode !== "data")
    .flatMap((r) =>
      (r.instances ?? [])
        .filter((i) => i.status === "tainted")
        .map((i) => ({
          address: `${r.module ? `${r.module}.` : ""}${r.type}.${r.name}${i.index_key === undefined ? "" : `[${JSON.stringify(i.index_key)}]`}`,
          type: r.type,
          attributes: i.attributes ?? {},
        })),
    );
}

function countResources(stateText: string): number {
  const state = JSON.parse(stateText) as { resources?: { mode?: string; instances?: unknown[] }[] };
  return (state.resources ?? []).filter((r) => r.mode !== "data").reduce((n, r) => n + (r.instances ?? []).length, 0);
}

/** Terraform's S3 backend with S3-native locking (`<key>.tflock`). */
export class S3StackBackend implements StackBackend {
  readonly location: string;
  readonly lockLocation: string;

  constructor(
    private readonly aws: AwsCli,
    private readonly bucket: string,
    private readonly key: string,
  ) {
    this.location = `s3://${bucket}/${key}`;
    this.lockLocation = `${this.location}.tflock`;
  }

  /** The object's body, or undefined when the object (or the bucket) does not exist (one aws process). */
  private read(key: string): string | undefined {
    try {
      return this.aws.text(["s3", "cp", `s3://${this.bucket}/${key}`, "-", "--only-show-errors"]);
    } catch (e) {
      if (e instanceof AwsCliError && e.notFound) return undefined;
      throw e;
    }
  }

  countStateResources(): number | undefined {
    const text = this.stateText();
    return text === undefined ? undefined : countResources(text);
  }

  stateText(): string | undefined {
    return this.read(this.key);
  }

  presence(): Presence {
    let keys: string[] | null = null;
    try {
      // The state, its lock and the marker share the state key as prefix.
      keys = this.aws.json(["s3api", "list-objects-v2", "--bucket", this.bucket, "--prefix", this.key, "--query", "Contents[].Key"]) as string[] | null;
    } catch (e) {
      if (!(e instanceof AwsCliError && e.notFound)) throw e;
    }
    const has = new Set(keys ?? []);
    return { state: has.has(this.key), lock: has.has(`${this.key}.tflock`), marker: has.has(this.markerKey) };
  }

  get markerLocation(): string {
    return `s3://${this.bucket}/${this.markerKey}`;
  }

  lock(): LockInfo | undefined {
    const text = this.read(`${this.key}.tflock`);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as LockInfo;
    } catch {
      return { ID: "(unreadable lock body)" };
    }
  }

  removeLock(id: string): void {
    const current = this.lock();
    if (!current) return;
    if (current.ID !== id) throw new Error(`the lock changed (now ${current.ID}, held by ${current.Who ?? "?"}); not removed`);
    this.aws.text(["s3api", "delete-object", "--bucket", this.bucket, "--key", `${this.key}.tflock`]);
  }

  private get markerKey(): string {
    return `${this.key}.apply-in-progress`;
  }

  marker(): ApplyMarker | undefined {
    const text = this.read(this.markerKey);
    return text === undefined ? undefined : (JSON.parse(text) as ApplyMarker);
  }

  setMarker(): void {
    const body: ApplyMarker = { started: new Date().toISOString(), who: who(), pid: process.pid };
    this.aws.text(["s3", "cp", "-", `s3://${this.bucket}/${this.markerKey}`, "--only-show-errors"], JSON.stringify(body));
  }

  clearMarker(): void {
    this.aws.text(["s3api", "delete-object", "--bucket", this.bucket, "--key", this.markerKey]);
  }

  deleteState(): void {
    this.aws.text(["s3api", "delete-object", "--bucket", this.bucket, "--key", this.key]);
  }
}

/** A local state file (the bootstrap stack's, until the state bucket exists). Its lock is an OS file lock, released by the kernel when Terraform dies. */
export class LocalStackBackend implements StackBackend {
  readonly lockLocation = undefined;
  constructor(readonly location: string) {}

  countStateResources(): number | undefined {
    const text = this.stateText();
    return text === undefined ? undefined : countResources(text);
  }
  stateText(): string | undefined {
    return existsSync(this.location) ? readFileSync(this.location, "utf8") : undefined;
  }
  presence(): Presence {
    return { state: existsSync(this.location), lock: false, marker: false };
  }
  lock(): undefined {
    return undefined;
  }
  removeLock(): void {}
  /** Beside the state file: an apply of the bootstrap cut off before its state reached the bucket leaves it. */
  get markerLocation(): string {
    return `${this.location}.apply-in-progress`;
  }
  marker(): ApplyMarker | undefined {
    return existsSync(this.markerLocation) ? (JSON.parse(readFileSync(this.markerLocation, "utf8")) as ApplyMarker) : undefined;
  }
  setMarker(): void {
    const body: ApplyMarker = { started: new Date().toISOString(), who: who(), pid: process.pid };
    writeFileSync(this.markerLocation, JSON.stringify(body));
  }
  clearMarker(): void {
    if (existsSync(this.markerLocation)) unlinkSync(this.markerLocation);
  }
  deleteState(): void {
    if (existsSync(this.location)) unlinkSync(this.location);
  }
}

export function stackBackend(stackDir: string, aws: AwsCli): StackBackend {
  const backend = readBackend(stackDir);
  if (backend.s3) return new S3StackBackend(aws, backend.s3.bucket, backend.s3.key);
  if (backend.local) return new LocalStackBackend(path.resolve(stackDir, backend.local.path));
  throw new Error(`${stackDir}: no s3 or local backend in cdk.tf.json`);
}
