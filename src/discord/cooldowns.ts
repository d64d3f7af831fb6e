/** Per-user cooldowns: a user may run a costly command once every `seconds`. */
export class Cooldowns {
  private readonly until = new Map<string, number>();

  constructor(
    private readonly seconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds the user must still wait (0 when free), and when free, starts a new cooldown. */
  take(userId: string): number {
    if (this.seconds <= 0) return 0;
    const now = this.now();
    const until = this.until.get(userId) ?? 0;
    if (until > now) return Math.ceil((until - now) / 1000);
    this.until.set(userId, now + this.seconds * 1000);
    if (this.until.size > 10_000) {
      for (const [user, time] of this.until) if (time <= now) this.until.delete(user);
    }
    return 0;
  }
}
