/**
 * Reading FACTORY_* variables: the errors a bad value raises (one line naming the variable, the
 * value and what is allowed), and the reader that records each setting's documentation as it
 * reads it, so that docs/configuration.md's table and the validation cannot drift apart.
 */

import type { SettingDoc } from "./types";

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    value: string,
    allowed: string,
  ) {
    super(`${variable}=${JSON.stringify(value)} is invalid: ${allowed}`);
    this.name = "ConfigError";
  }
}

/**
 * Settings that are each valid but not together. The message names every variable involved, with
 * its value and whether it is the default, so that the one the user set is among them; `variable`
 * is the first one the user set.
 */
export class RelationError extends ConfigError {
  constructor(involved: readonly { readonly variable: string; readonly value: string | number; readonly isSet: boolean }[], rule: string) {
    super((involved.find((v) => v.isSet) ?? involved[0]).variable, "", rule);
    const list = involved.map((v) => `${v.variable}=${JSON.stringify(String(v.value))}${v.isSet ? "" : " (default)"}`);
    this.message = `${list.slice(0, -1).join(", ")} and ${list[list.length - 1]} are invalid together: ${rule}`;
    this.name = "ConfigError";
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

/** Reads one variable: undefined when unset; set-but-blank is an error (a typo, not a choice). */
export class Reader {
  readonly docs: SettingDoc[] = [];
  constructor(private readonly env: Env) {}

  /** Whether FACTORY_<name> is set (else the default applies). */
  isSet(name: string): boolean {
    return this.env[`FACTORY_${name}`] !== undefined;
  }

  /** A RelationError over FACTORY_<name> settings and their values. */
  relation(values: Readonly<Record<string, string | number>>, rule: string): RelationError {
    return new RelationError(
      Object.entries(values).map(([name, value]) => ({ variable: `FACTORY_${name}`, value, isSet: this.isSet(name) })),
      rule,
    );
  }

  raw(name: string, def: string, allowed: string): string | undefined {
    const variable = `FACTORY_${name}`;
    this.docs.push({ variable, default: def, allowed });
    const value = this.env[variable];
    if (value === undefined) return undefined;
    if (value.trim() === "") throw new ConfigError(variable, value, `must not be empty or blank; unset it for the default (${def})`);
    if (value !== value.trim()) throw new ConfigError(variable, value, `must not have leading or trailing whitespace; ${allowed}`);
    return value;
  }

  string(name: string, def: string, allowed: string, valid: (v: string) => boolean): string {
    const value = this.raw(name, def, allowed);
    if (value === undefined) return def;
    if (!valid(value)) throw new ConfigError(`FACTORY_${name}`, value, allowed);
    return value;
  }

  /** A whole number from min to max; `multipleOf` and its reason (`why`) narrow it further. */
  /** One of a fixed set of values (an enumeration setting). */
  oneOf<T extends string>(name: string, def: T, values: readonly T[], allowed: string): T {
    return this.string(name, def, allowed, (v) => (values as readonly string[]).includes(v)) as T;
  }

  int(name: string, def: number, min: number, max: number, multiple?: { readonly of: number; readonly why: string }): number {
    const allowed = `a whole number from ${min} to ${max}${multiple ? `, a multiple of ${multiple.of} (${multiple.why})` : ""}`;
    const value = this.raw(name, String(def), allowed);
    if (value === undefined) return def;
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max || Number(value) % (multiple?.of ?? 1) !== 0) {
      throw new ConfigError(`FACTORY_${name}`, value, allowed);
    }
    return Number(value);
  }

  list(name: string, def: readonly string[], allowed: string, valid: (v: string) => boolean): string[] {
    const value = this.raw(name, def.join(",") || "(none)", allowed);
    if (value === undefined) return [...def];
    const items = value.split(",").map((s) => s.trim());
    const bad = items.find((item) => !valid(item));
    if (bad !== undefined) {
      throw new ConfigError(`FACTORY_${name}`, value, `entry ${JSON.stringify(bad)} is not allowed; ${allowed}`);
    }
    if (new Set(items).size !== items.length) throw new ConfigError(`FACTORY_${name}`, value, `entries must be unique; ${allowed}`);
    return items;
  }
}
