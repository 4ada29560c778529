// The kubeconfig jobctl exports for its server, and its merge into an existing kubeconfig file
// (kubectl's format: clusters, users and contexts by name, current-context), keeping the file's
// other entries and comments as they were.
import { Document, isMap, isSeq, parseDocument } from 'yaml';

export const KUBECONFIG_NAME = 'jobctl';

/** A kubeconfig jobctl cannot use; `inConfiguration` errors print as kubectl's `Error in configuration: ...`. */
export class KubeconfigError extends Error {
  constructor(
    message: string,
    readonly inConfiguration = false,
  ) {
    super(message);
  }
}

/** What the exported kubeconfig says about the server. */
export interface KubeconfigServer {
  port: number;
  token: string;
  /** The PEM of the CA of the server's certificate. */
  ca: Buffer;
}

type Entry = { name: string } & Record<string, unknown>;

function entries(c: KubeconfigServer): { clusters: Entry; users: Entry; contexts: Entry } {
  const name = KUBECONFIG_NAME;
  return {
    clusters: {
      name,
      cluster: { server: `https://127.0.0.1:${c.port}`, 'certificate-authority-data': c.ca.toString('base64') },
    },
    users: { name, user: { token: c.token } },
    contexts: { name, context: { cluster: name, user: name, namespace: 'default' } },
  };
}

/** The whole kubeconfig, as kubectl would write it. */
export function kubeconfigYaml(c: KubeconfigServer): string {
  const e = entries(c);
  return new Document({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [e.clusters],
    contexts: [e.contexts],
    'current-context': KUBECONFIG_NAME,
    preferences: {},
    users: [e.users],
  }).toString();
}

/** `text` (a kubeconfig, or empty) with the jobctl entries added or replaced and made current. */
export function mergeKubeconfig(text: string, c: KubeconfigServer, file: string): string {
  const doc = text.trim()
    ? parseDocument(text)
    : new Document({ apiVersion: 'v1', kind: 'Config', clusters: [], contexts: [], preferences: {}, users: [] });
  if (doc.errors.length) throw new KubeconfigError(`${file}: ${doc.errors[0].message}`);
  if (!isMap(doc.contents)) throw new KubeconfigError(`${file}: not a kubeconfig (its top level is not a mapping)`);
  for (const [section, entry] of Object.entries(entries(c))) {
    let list = doc.get(section);
    if (list === undefined || list === null) {
      doc.set(section, doc.createNode([]));
      list = doc.get(section);
    }
    if (!isSeq(list)) throw new KubeconfigError(`${file}: ${section} is not a list`);
    const node = doc.createNode(entry);
    const at = list.items.findIndex((it) => isMap(it) && it.get('name') === KUBECONFIG_NAME);
    if (at >= 0) list.items[at] = node;
    else list.items.push(node);
  }
  doc.set('current-context', KUBECONFIG_NAME);
  return doc.toString();
}
