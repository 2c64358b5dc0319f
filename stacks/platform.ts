import { App } from "cdktf";
import { FactoryConfig } from "../config";
import { StateStack } from "./state-stack";
import { NetworkStack } from "./network-stack";
import { EksStack } from "./eks-stack";
import { EcrStack } from "./ecr-stack";
import { CertStack } from "./cert-stack";
import { DnsStack } from "./dns-stack";
import { ClusterAddonsStack } from "./cluster-addons-stack";
import { AppStack } from "./app-stack";
import { BackupStack } from "./backup-stack";
import { MonitoringStack } from "./monitoring-stack";
import { PlatformStack } from "./platform-stack";
import { StackShortName } from "../lib/stack-names";

/** Every stack of the platform, wired together by cross-stack references. */
export interface Platform {
  readonly state: StateStack;
  readonly network: NetworkStack;
  readonly eks: EksStack;
  readonly ecr: EcrStack;
  readonly cert: CertStack;
  readonly addons: ClusterAddonsStack;
  readonly app: AppStack;
  readonly dns: DnsStack;
  readonly backup: BackupStack;
  readonly monitoring: MonitoringStack;
}

/**
 * Adds the platform's stacks to the cdktf app `scope`. Stacks pass values as properties (cdktf turns them into
 * remote-state lookups), so `cdktf deploy` orders them by those references.
 */
export function buildPlatform(scope: App, config: FactoryConfig): Platform {
  const state = new StateStack(scope, "state", { config });
  const network = new NetworkStack(scope, "network", { config });
  const eks = new EksStack(scope, "eks", { config, network });
  const ecr = new EcrStack(scope, "ecr", { config });
  const cert = new CertStack(scope, "cert", { config });
  const addons = new ClusterAddonsStack(scope, "addons", { config, network, eks });
  const app = new AppStack(scope, "app", { config, eks, ecr, cert });
  // The app needs the add-ons (ingress class, StorageClasses, metrics API); no reference says so.
  app.addDependency(addons);
  const monitoring = new MonitoringStack(scope, "monitoring", { config, cert });
  // Its alarms watch the cluster's metrics: created once the cluster (and Container Insights) is,
  // so that a first deploy does not breach ready-nodes-below-minimum before there are nodes.
  monitoring.addDependency(eks);
  const dns = new DnsStack(scope, "dns", { config, cert, monitoring });
  const backup = new BackupStack(scope, "backup", { config });
  // The ALB the record points at exists once the app's ingress is applied.
  dns.addDependency(app);
  // Every stack keeps its state in the bucket the state stack makes.
  for (const stack of [network, eks, ecr, cert, addons, app, dns, backup, monitoring]) stack.addDependency(state);
  // Every short name in lib/stack-names.ts, and no other: the scripts deploy by that list.
  return { state, network, eks, ecr, cert, addons, app, dns, backup, monitoring } satisfies Record<StackShortName, PlatformStack>;
}
