/**
 * A linearizability checker for recorded histories, independent of the rest of pbkv (plain
 * Java, no Spring).
 *
 * <p>{@link pbkv.check.LinearizabilityChecker} splits a {@link pbkv.check.History} by key and runs
 * the Wing-Gong-Lowe search of Porcupine ({@code WglSearch}) on each key against a
 * {@link pbkv.check.Model}: {@link pbkv.check.RegisterModel} for Jepsen's etcd register,
 * {@link pbkv.check.KvModel} for Jepsen KV histories and for pbkv. Operations whose outcome is
 * unknown may take effect any time after their call, or never. A violation comes with the
 * longest linearizable prefix found and the operations that could not follow it
 * ({@link pbkv.check.Violation}).
 *
 * <p>Histories are read by {@link pbkv.check.HistoryFormat}: Jepsen etcd logs, Jepsen EDN-line
 * KV histories, and pbkv's own tab-separated format, specified in
 * {@link pbkv.check.PbkvHistoryFormat}, which recorders can also use to write lines.
 * {@link pbkv.check.CheckHistoryCommand} is the command line behind {@code bin/check-history}.
 */
package pbkv.check;
