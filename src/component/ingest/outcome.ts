/** What happened to one inbound event. */
export type EventOutcome =
  | { kind: "accepted" }
  | { kind: "duplicate" }
  | { kind: "rejected"; code: string; message: string };

export const accepted: EventOutcome = { kind: "accepted" };
export const duplicate: EventOutcome = { kind: "duplicate" };
