// A strategy per resource, as the Kubernetes API server has one: what happens to an object on
// create (defaults, create-time fields, validation, warnings), on update (what a client may
// change, immutability, the generation), on a status update, and whether clients write it at all.
import type { Admitted, ApiObject } from '../api/index.js';

export interface Strategy<T extends ApiObject = ApiObject> {
  readonly kind: string;
  /** Whether clients create and replace these (pods and events are the server's own). */
  readonly clientWritable: boolean;
  /** Defaults, create-time fields and validation; throws 422 Invalid with Kubernetes' causes. */
  admitCreate(obj: T, now: Date, uid?: string): Admitted<T>;
  /** The object to store when a client replaces `old` with `next` (PUT, or a patch's result). */
  update(next: T, old: T, now: Date): T;
  /** The status subresource's update; undefined for kinds without one. */
  updateStatus?(next: T, old: T): T;
}
