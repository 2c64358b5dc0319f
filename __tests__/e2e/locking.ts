/**
 * State locking proven on the ecr stack: while one Terraform holds the stack's lock (waiting at its
 * confirmation prompt), a second run is refused; the holder, answered "no", releases the lock and
 * leaves the state as it was.
 */
import { spawn } from "child_process";
import { aws } from "./aws-queries";
import { run } from "./commands";
import { config, env, stack, stackDir } from "./context";
import { check, checkEqual } from "./report";

export async function verifyLocking(): Promise<void> {
  const dir = stackDir("ecr");
  const stateKey = `${stack("ecr")}/terraform.tfstate`;
  const before = aws(["s3api", "head-object", "--bucket", config.stateBucket, "--key", stateKey]);
  // `terraform destroy` takes the lock, plans, then waits at its confirmation prompt: a lock
  // holder that is answered "no" and so changes nothing.
  const holder = spawn("terraform", ["destroy", "-input=true", "-no-color"], { cwd: dir, env, stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  holder.stdout!.on("data", (d) => (out += String(d)));
  holder.stderr!.on("data", (d) => (out += String(d)));
  const waitFor = (re: RegExp, seconds: number) =>
    new Promise<boolean>((resolve) => {
      const started = Date.now();
      const timer = setInterval(() => {
        if (re.test(out) || Date.now() - started > seconds * 1000) {
          clearInterval(timer);
          resolve(re.test(out));
        }
      }, 200);
    });
  const prompted = await waitFor(/Enter a value:/, 120);
  check("first run holds the ecr stack's lock at its prompt", prompted, out.slice(-500));
  const second = run("terraform", ["plan", "-lock-timeout=0s", "-input=false", "-no-color"], { cwd: dir, logName: "lock-second" });
  check(
    "a second run is refused with 'Error acquiring the state lock'",
    second.status !== 0 && /Error acquiring the state lock/.test(second.stderr),
    second.stderr.slice(-500),
  );
  holder.stdin!.write("no\n");
  await new Promise((resolve) => holder.on("exit", resolve));
  check("the lock holder, answered 'no', cancels", /Destroy cancelled/.test(out), out.slice(-300));
  const after = aws(["s3api", "head-object", "--bucket", config.stateBucket, "--key", stateKey]);
  checkEqual("the state object is unchanged", after.ETag, before.ETag);
  const lockGone = run("aws", ["s3api", "head-object", "--bucket", config.stateBucket, "--key", `${stateKey}.tflock`]);
  check("the lock file is released", lockGone.status !== 0);
  const replan = run("terraform", ["plan", "-detailed-exitcode", "-input=false", "-no-color"], { cwd: dir });
  checkEqual("the ecr stack still plans no changes", replan.status, 0);
}
