/**
 * What a query read, and whether a write touched it. A query's read set is the index ranges
 * it scanned (table + the range's bounds, as declared: a superset of what it looked at) and
 * every document it got. A written document touches the read set when the query got it
 * before (its old version was read) or its new version falls in a scanned range. Both are
 * conservative: a query may re-run without a change, never miss one.
 *
 * Tables are matched by name across components: an app table and a component table of the
 * same name make each other's queries re-run (a wasted run, not a missed update).
 */
import { compareValues, jsonToConvex, type JSONValue, type Value } from "convex/values";

/** One bound of an index range as Convex serializes it (`value` in Convex JSON). */
export type RangeBound = { type: string; fieldPath: string; value: unknown };

/** A document after a write (null: deleted), with its table and id. */
export type WrittenDocument = { table: string; id: string; doc: Record<string, Value> | null };

export class ReadSet {
  private readonly ranges = new Map<string, RangeBound[][]>();
  private readonly documents = new Set<string>();

  addRange(table: string, bounds: RangeBound[]): void {
    const list = this.ranges.get(table) ?? [];
    list.push(bounds);
    this.ranges.set(table, list);
  }

  addDocument(id: string): void {
    this.documents.add(id);
  }

  /** True when any of `writes` may change what the query returns. */
  touchedBy(writes: readonly WrittenDocument[]): boolean {
    for (const write of writes) {
      if (this.documents.has(write.id)) return true;
      const ranges = write.doc ? this.ranges.get(write.table) : undefined;
      if (ranges?.some((bounds) => inRange(write.doc!, bounds))) return true;
    }
    return false;
  }
}

function inRange(doc: Record<string, Value>, bounds: RangeBound[]): boolean {
  return bounds.every((bound) => {
    const cmp = compareValues(fieldValue(doc, bound.fieldPath), boundValue(bound.value));
    switch (bound.type) {
      case "Eq":
        return cmp === 0;
      case "Gt":
        return cmp > 0;
      case "Gte":
        return cmp >= 0;
      case "Lt":
        return cmp < 0;
      case "Lte":
        return cmp <= 0;
      default:
        return true; // an unknown bound narrows nothing: stay conservative
    }
  });
}

function fieldValue(doc: Record<string, Value>, path: string): Value | undefined {
  let value: unknown = doc;
  for (const part of path.split(".")) {
    value = value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>)[part] : undefined;
  }
  return value as Value | undefined;
}

/** `.eq("field", undefined)` arrives as `{ $undefined: null }`. */
function boundValue(json: unknown): Value | undefined {
  if (json !== null && typeof json === "object" && "$undefined" in json) return undefined;
  return jsonToConvex(json as JSONValue);
}
