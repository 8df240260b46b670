/**
 * Is a host runtime online for this user? A runtime holds an active session while it runs
 * codex and heartbeats it; the backend retires one that went silent, but only on its next
 * sweep, so a session past its `staleAt` already counts as gone here (re-checked on a timer
 * at the next deadline, with no new query result needed).
 */
import { useQuery } from "convex/react";
import type { FunctionArgs } from "convex/server";
import { useEffect, useState } from "react";
import type { HostSessionsQuery } from "./references.js";

export type CodexHostSession = { sessionId: string; deviceId?: string; staleAt: number; lastHeartbeatAt: number };

export type CodexHostStatus = {
  /** `undefined` while loading. */
  online: boolean | undefined;
  /** Sessions alive now, the most recently heard from first. */
  hosts: CodexHostSession[];
  isLoading: boolean;
};

/** The sessions still alive at `now`. */
export function liveHosts(sessions: readonly CodexHostSession[], now: number): CodexHostSession[] {
  return sessions.filter((s) => s.staleAt > now).sort((a, b) => b.lastHeartbeatAt - a.lastHeartbeatAt);
}

export function useCodexHostStatus<Query extends HostSessionsQuery>(query: Query, args: FunctionArgs<Query> | "skip" = {} as FunctionArgs<Query>): CodexHostStatus {
  const sessions = useQuery(query, args as never) as CodexHostSession[] | undefined;
  // Bumped when the next live session reaches its deadline: the render reads the clock again.
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const current = Date.now();
    const next = (sessions ?? []).map((s) => s.staleAt).filter((at) => at > current).sort((a, b) => a - b)[0];
    if (next === undefined) return;
    const timer = setTimeout(() => setTick((n) => n + 1), Math.min(next - current + 1, 2_147_000_000));
    return () => clearTimeout(timer);
  }, [sessions, tick]);
  if (sessions === undefined) return { online: undefined, hosts: [], isLoading: args !== "skip" };
  const hosts = liveHosts(sessions, Date.now());
  return { online: hosts.length > 0, hosts, isLoading: false };
}
