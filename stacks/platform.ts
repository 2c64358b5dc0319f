import { App } from "cdktf";
import { FactoryConfig } from "../config";
import { StateStack } from "./state-stack";
import { NetworkStack } from "./network-stack";
import { EksStack } from "./eks-stack";
import { EcrStack } from "./ecr-stack";
import { CertStack } from "./cert-stack";
import { DnsStack } from "./dns-stack";

/** Every stack of the platform, wired together by cross-stack references. */
export interface Platform {
  readonly state: StateStack;
  readonly network: NetworkStack;
  readonly eks: EksStack;
  readonly ecr: EcrStack;
  readonly cert: CertStack;
  readonly dns: DnsStack;
}

/**
 * Adds the platform's stacks to `app`. Stacks pass values as properties (cdktf turns them into
 * remote-state lookups), so `cdktf deploy` orders them by those references.
 */
export function buildPlatform(app: App, config: FactoryConfig): Platform {
  const state = new StateStack(app, config);
  const network = new NetworkStack(app, config);
  const eks = new EksStack(app, config, network);
  const ecr = new EcrStack(app, config);
  const cert = new CertStack(app, config);
  const dns = new DnsStack(app, config, cert);
  // Every stack keeps its state in the bucket the state stack makes.
  for (const stack of [network, eks, ecr, cert, dns]) stack.addDependency(state);
  return { state, network, eks, ecr, cert, dns };
}
