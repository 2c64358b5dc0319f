import { Construct } from "constructs";
import { IngressV1 } from "@cdktf/provider-kubernetes/lib/ingress-v1";

/**
 * TLS policy of the HTTPS listener: TLS 1.3 and 1.2 (restricted ciphers) with hybrid post-quantum
 * key exchange, AWS's recommended policy since 2025-09. If old clients need TLS 1.2 CBC ciphers,
 * fall back to ELBSecurityPolicy-TLS13-1-2-2021-06. (The API's default, 2016-08, allows TLS 1.0.)
 */
export const ALB_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09";

export interface IngressRoute {
  /** Path prefix, e.g. /api. */
  readonly path: string;
  /** The Service that serves it. */
  readonly serviceName: string;
  readonly servicePort: number;
}

export interface AlbIngressProps {
  /** The Ingress's name. */
  readonly name: string;
  /** The namespace of the Ingress and of the Services it routes to. */
  readonly namespace: string;
  /** The hostname routed; other Host headers get the ALB's default 404. */
  readonly hostname: string;
  /** ACM certificate of the HTTPS listener (cert stack). */
  readonly certificateArn: string;
  /** Name of the ALB (the dns stack looks it up by this name). At most 32 characters. */
  readonly loadBalancerName: string;
  /** IngressGroup of the ALB: every ingress of the group shares it. */
  readonly groupName: string;
  /** Routes, most specific first (the ALB evaluates them in this order). */
  readonly routes: readonly IngressRoute[];
  /**
   * Default health check path of the target groups (a Service's own annotation wins).
   * @default "/"
   */
  readonly healthCheckPath?: string;
}

/**
 * An internet-facing ALB for the AWS Load Balancer Controller: HTTP redirected to HTTPS, the ACM
 * certificate with a modern TLS policy, pods as targets (target type ip), a fixed name for the
 * dns stack. Apply waits until the ALB exists, so the dns stack can find it.
 */
export class AlbIngress extends Construct {
  readonly ingress: IngressV1;

  constructor(scope: Construct, id: string, props: AlbIngressProps) {
    super(scope, id);
    // AWS: 1-32 characters, letters, digits and -, not starting or ending with -.
    if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/.test(props.loadBalancerName)) {
      throw new Error(
        `AlbIngress ${props.name}: loadBalancerName must be 1-32 letters, digits and -, not starting or ending with -, got "${props.loadBalancerName}"`,
      );
    }
    this.ingress = new IngressV1(this, "ingress", {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        annotations: {
          "alb.ingress.kubernetes.io/scheme": "internet-facing",
          "alb.ingress.kubernetes.io/target-type": "ip",
          "alb.ingress.kubernetes.io/listen-ports": JSON.stringify([{ HTTP: 80 }, { HTTPS: 443 }]),
          "alb.ingress.kubernetes.io/ssl-redirect": "443",
          "alb.ingress.kubernetes.io/certificate-arn": props.certificateArn,
          "alb.ingress.kubernetes.io/ssl-policy": ALB_SSL_POLICY,
          "alb.ingress.kubernetes.io/load-balancer-name": props.loadBalancerName,
          "alb.ingress.kubernetes.io/group.name": props.groupName,
          "alb.ingress.kubernetes.io/healthcheck-path": props.healthCheckPath ?? "/",
          "alb.ingress.kubernetes.io/success-codes": "200-399",
        },
      },
      spec: {
        ingressClassName: "alb",
        rule: [
          {
            host: props.hostname,
            http: {
              path: props.routes.map((r) => ({
                path: r.path,
                pathType: "Prefix",
                backend: { service: { name: r.serviceName, port: { number: r.servicePort } } },
              })),
            },
          },
        ],
      },
      waitForLoadBalancer: true,
    });
  }
}
