// Every open, authenticated socket indexed by its token's jti, so that revoking a share or
// logging out a token closes exactly that token's sockets (4403, well inside 1 s), and so
// that shutdown can close them all with 1001.
export interface Closable {
  close(code: number, reason: string): void;
}

export class SocketRegistry {
  private readonly byJti = new Map<string, Set<Closable>>();
  private readonly all = new Set<Closable>();

  add(conn: Closable, jti: string | null): () => void {
    this.all.add(conn);
    if (jti !== null) {
      let set = this.byJti.get(jti);
      if (!set) this.byJti.set(jti, (set = new Set()));
      set.add(conn);
    }
    return () => {
      this.all.delete(conn);
      if (jti === null) return;
      const set = this.byJti.get(jti);
      set?.delete(conn);
      if (set && set.size === 0) this.byJti.delete(jti);
    };
  }

  get size(): number {
    return this.all.size;
  }

  closeByJti(jti: string, code: number, reason: string): number {
    const set = this.byJti.get(jti);
    if (!set) return 0;
    const conns = [...set];
    for (const c of conns) c.close(code, reason);
    return conns.length;
  }

  closeAll(code: number, reason: string): void {
    for (const c of [...this.all]) c.close(code, reason);
  }
}
