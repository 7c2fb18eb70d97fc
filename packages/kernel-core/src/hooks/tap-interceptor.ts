import { NovakitError, isNovakitError } from "../errors/novakit-error.js";
import type { KernelHooks } from "./kernel-hooks.js";

/** Accumulated wall-clock cost of one plugin's taps on one hook (diagnostics only). */
export interface TapTiming {
  readonly plugin: string;
  readonly hook: string;
  readonly calls: number;
  readonly totalNs: bigint;
}

/**
 * A tap threw: names the plugin, the hook and the boot phase (or "runtime"). A NovakitError keeps
 * its own code (a user looks up NK-CET-050, not the wrapper) and gains the attribution in its
 * message; anything else is a plugin bug and gets NK-KRN-201.
 */
export class PluginTapError extends NovakitError {
  constructor(
    readonly plugin: string,
    readonly hook: string,
    readonly phase: string,
    readonly original: unknown,
  ) {
    const originalMessage = original instanceof Error ? original.message : String(original);
    super(
      isNovakitError(original) ? original.code : "NK-KRN-201",
      `plugin "${plugin}" failed in hook "${hook}" during phase "${phase}": ${originalMessage}`,
      isNovakitError(original) ? original.location : {},
      isNovakitError(original) ? original.hint : undefined,
    );
    this.cause = original;
  }
}

type TapFunction = (...args: unknown[]) => unknown;
interface MinimalTap {
  name: string;
  type: "sync" | "async" | "promise";
  fn: TapFunction;
}
interface InterceptableHook {
  intercept(interceptor: { register?: (tap: never) => unknown }): void;
}

/**
 * One interceptor per kernel, installed on every hook (and on every hook the `hypercall` HookMap
 * creates). It
 *  - names every tap after the plugin whose register() is running, so error attribution and
 *    `before:` ordering speak plugin names;
 *  - accumulates per plugin+hook wall time with process.hrtime (the diagnostic timing report
 *    only; the simulation never reads it, so determinism is unaffected);
 *  - rethrows whatever a tap throws as a PluginTapError naming plugin, hook and phase.
 */
export class TapInterceptor {
  /** plugin whose register() is running; taps made meanwhile are named after it */
  registeringPlugin: string | undefined;
  /** boot phase being run, or "runtime" once the domains run */
  phase = "create";
  private readonly timings = new Map<string, { plugin: string; hook: string; calls: number; totalNs: bigint }>();

  install(hooks: KernelHooks): void {
    for (const [hookName, hook] of Object.entries(hooks)) {
      if (hookName === "hypercall") {
        hooks.hypercall.intercept({
          factory: (key, created) => {
            this.interceptHook(created as unknown as InterceptableHook, `hypercall.${String(key)}`);
            return created;
          },
        });
      } else {
        this.interceptHook(hook as unknown as InterceptableHook, hookName);
      }
    }
  }

  timingReport(): TapTiming[] {
    return [...this.timings.values()]
      .map((entry) => ({ ...entry }))
      .sort((a, b) => (a.plugin === b.plugin ? a.hook.localeCompare(b.hook) : a.plugin.localeCompare(b.plugin)));
  }

  private interceptHook(hook: InterceptableHook, hookName: string): void {
    const register = (tap: MinimalTap): MinimalTap => this.wrapTap(tap, hookName);
    hook.intercept({ register: register as unknown as (tap: never) => unknown });
  }

  private wrapTap(tap: MinimalTap, hookName: string): MinimalTap {
    const plugin = this.registeringPlugin ?? tap.name;
    const original = tap.fn;
    const timing = this.timingEntry(plugin, hookName);
    const fail = (error: unknown): never => {
      if (error instanceof PluginTapError) throw error;
      throw new PluginTapError(plugin, hookName, this.phase, error);
    };
    let fn: TapFunction;
    if (tap.type === "promise") {
      fn = async (...args: unknown[]): Promise<unknown> => {
        const start = process.hrtime.bigint();
        try {
          return await original(...args);
        } catch (error) {
          return fail(error);
        } finally {
          timing.calls++;
          timing.totalNs += process.hrtime.bigint() - start;
        }
      };
    } else if (tap.type === "async") {
      fn = (...args: unknown[]): void => {
        const start = process.hrtime.bigint();
        const callback = args.pop() as (error?: unknown, result?: unknown) => void;
        const done = (error?: unknown, result?: unknown): void => {
          timing.calls++;
          timing.totalNs += process.hrtime.bigint() - start;
          if (error) {
            try {
              fail(error);
            } catch (wrapped) {
              callback(wrapped);
              return;
            }
          }
          callback(null, result);
        };
        try {
          original(...args, done);
        } catch (error) {
          done(error);
        }
      };
    } else {
      fn = (...args: unknown[]): unknown => {
        const start = process.hrtime.bigint();
        try {
          return original(...args);
        } catch (error) {
          return fail(error);
        } finally {
          timing.calls++;
          timing.totalNs += process.hrtime.bigint() - start;
        }
      };
    }
    return { ...tap, name: plugin, fn };
  }

  private timingEntry(plugin: string, hook: string) {
    const key = `${plugin}\u0000${hook}`;
    let entry = this.timings.get(key);
    if (!entry) {
      entry = { plugin, hook, calls: 0, totalNs: 0n };
      this.timings.set(key, entry);
    }
    return entry;
  }
}
