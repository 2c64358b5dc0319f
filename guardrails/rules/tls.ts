/**
 * TLS rules: certificates validated by DNS, load balancers serving HTTPS only with a TLS 1.2+
 * policy (both the ALB ingresses and aws_lb_listener).
 */
import { items, many, one, refersTo } from "../resolve";
import { rule } from "../rule";
import type { Rule, TfJson } from "../types";

const acmDnsValidated = rule(
  "acm-certificate-dns-validated",
  "Every ACM certificate is validated by DNS, with an aws_acm_certificate_validation that waits for issuance through validation records.",
  (stacks, report) => {
    for (const cert of items(stacks, ["aws_acm_certificate"])) {
      if (cert.body.validation_method !== "DNS")
        report.add(cert.stack, cert.address, `validation_method is ${JSON.stringify(cert.body.validation_method)}, not DNS`);
      const validations = items([cert.stack], ["aws_acm_certificate_validation"]).filter((v) => refersTo(v.body.certificate_arn, cert, ["arn", "id"]));
      if (!validations.some((v) => many(v.body.validation_record_fqdns).length > 0))
        report.add(cert.stack, cert.address, "no aws_acm_certificate_validation with validation_record_fqdns: nothing waits for issuance");
    }
  },
);

/** TLS policies of ALB listeners that allow nothing older than TLS 1.2. */
export const ALLOWED_SSL_POLICY = /^ELBSecurityPolicy-(TLS13-1-[23]-|TLS-1-2-|FS-1-2-)/;

const albHttps = rule(
  "alb-https-only",
  "Load balancers serve HTTPS with a TLS 1.2+/1.3 policy (ELBSecurityPolicy-TLS13-1-2/1-3-*, -TLS-1-2-*, -FS-1-2-*) and a certificate; HTTP only redirects to HTTPS (ALB ingresses and aws_lb_listener).",
  (stacks, report) => {
    for (const ing of items(stacks, ["kubernetes_ingress_v1", "kubernetes_ingress"])) {
      const md = one(ing.body.metadata);
      const ann = (md?.annotations ?? {}) as Record<string, string>;
      const spec = one(ing.body.spec);
      if (spec?.ingress_class_name !== "alb" && ann["kubernetes.io/ingress.class"] !== "alb") continue;
      let ports: TfJson[] = [{ HTTP: 80 }];
      try {
        if (ann["alb.ingress.kubernetes.io/listen-ports"] !== undefined) ports = many(JSON.parse(ann["alb.ingress.kubernetes.io/listen-ports"]));
      } catch {
        report.add(ing.stack, ing.address, "alb.ingress.kubernetes.io/listen-ports is not JSON");
      }
      if (!ports.some((p) => "HTTPS" in p)) report.add(ing.stack, ing.address, "no HTTPS listener (alb.ingress.kubernetes.io/listen-ports)");
      if (!ann["alb.ingress.kubernetes.io/certificate-arn"]) report.add(ing.stack, ing.address, "no alb.ingress.kubernetes.io/certificate-arn");
      const policy = ann["alb.ingress.kubernetes.io/ssl-policy"];
      if (!ALLOWED_SSL_POLICY.test(policy ?? ""))
        report.add(ing.stack, ing.address, `ssl-policy ${JSON.stringify(policy)} allows TLS older than 1.2 (the controller's default does)`);
      if (ports.some((p) => "HTTP" in p) && !ann["alb.ingress.kubernetes.io/ssl-redirect"])
        report.add(ing.stack, ing.address, "HTTP listener without alb.ingress.kubernetes.io/ssl-redirect");
    }
    for (const l of items(stacks, ["aws_lb_listener"])) {
      const protocol = String(l.body.protocol ?? "HTTP");
      if (protocol === "HTTPS" || protocol === "TLS") {
        if (!ALLOWED_SSL_POLICY.test(String(l.body.ssl_policy ?? "")))
          report.add(l.stack, l.address, `ssl_policy ${JSON.stringify(l.body.ssl_policy)} allows TLS older than 1.2`);
        if (!l.body.certificate_arn) report.add(l.stack, l.address, "no certificate_arn");
      } else if (protocol === "HTTP") {
        const redirects = many(l.body.default_action).every((a) => a.type === "redirect" && one(a.redirect)?.protocol === "HTTPS");
        if (!redirects) report.add(l.stack, l.address, "HTTP listener that does not redirect to HTTPS");
      }
    }
  },
);

/** In docs/guardrails.md's order; rules.ts concatenates the families in turn. */
export const TLS_RULES: readonly Rule[] = [acmDnsValidated, albHttps];
