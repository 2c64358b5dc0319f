import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { FactoryConfig } from "../config";
import { PlatformStack } from "./platform-stack";
import { CertStack } from "./cert-stack";
import { AlbAliasRecord } from "../constructs/alb-alias-record";
import { PlatformAlarms } from "../constructs/platform-alarms";
import { IngressTargetGroup } from "../constructs/ingress-target-group";
import { MonitoringStack } from "./monitoring-stack";
import { FACTORY_INGRESS, INGRESS_BACKENDS } from "../lib/workloads";
import { FACTORY_SERVICE_PORT } from "../constructs/k8s/factory-deployment";

export interface DnsStackProps {
  /** The validated settings (config/index.ts). */
  readonly config: FactoryConfig;
  /** The certificate's hosted zone. */
  readonly cert: CertStack;
  /** The alert topic the load balancer's alarms send to. */
  readonly monitoring: MonitoringStack;
}

/**
 * The hostname's alias record to the ingress's ALB, and the ALB's alarms (5xx rate and unhealthy
 * targets of the api and web target groups). Deploy it after the app stack: the ALB and its target
 * groups exist once the Load Balancer Controller has reconciled the ingress (named config.albName).
 */
export class DnsStack extends PlatformStack {
  constructor(scope: Construct, id: string, props: DnsStackProps) {
    super(scope, id, { config: props.config });
    const { config, cert, monitoring } = props;
    const alias = new AlbAliasRecord(this, "hostname", {
      recordName: config.hostname,
      hostedZoneId: cert.hostedZoneId,
      albName: config.albName,
    });
    const targetGroups = INGRESS_BACKENDS.map(
      (service) =>
        new IngressTargetGroup(this, `target-group-${service}`, {
          clusterName: config.clusterName,
          ingressGroup: config.ingressGroup,
          namespace: config.namespace,
          ingressName: FACTORY_INGRESS,
          serviceName: service,
          servicePort: FACTORY_SERVICE_PORT,
        }),
    );
    const alarms = new PlatformAlarms(this, "alarms", {
      stack: "dns",
      prefix: config.stackPrefix,
      topicArn: monitoring.topicArn,
      values: { namespace: config.namespace, loadBalancer: alias.loadBalancer.arnSuffix },
      lists: { targetGroups: targetGroups.map((tg, i) => ({ name: INGRESS_BACKENDS[i], targetGroup: tg.targetGroup.arnSuffix })) },
    });
    new TerraformOutput(this, "AlarmNames", { value: alarms.alarms.map((a) => a.alarmName), description: "The load balancer's alarms (alarms.yaml)" });
    new TerraformOutput(this, "Hostname", { value: alias.record.fqdn, description: "The hostname the alias record publishes" });
    new TerraformOutput(this, "LoadBalancerDnsName", { value: alias.loadBalancer.dnsName, description: "The ALB the hostname points at" });
  }
}
