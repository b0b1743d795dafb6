/**
 * Running pbkv nodes from outside, shared by the bench ({@code bin/bench}), the scenario runner
 * ({@code bin/scenario}) and the integration tests: {@link pbkv.harness.NodeProcess} starts,
 * kills, pauses and resumes one node process and waits for it to answer;
 * {@link pbkv.harness.KvClient} talks to a node over HTTP; {@link pbkv.harness.Json} reads its
 * answers; {@link pbkv.harness.PortPicker} finds loopback ports for a cluster. Plain JDK and
 * Jackson, no Spring (an ArchUnit test enforces it). The tests' cluster builder and nemesis
 * (ClusterBuilder, ClusterHarness) live in the same package under src/test and build on these.
 */
package pbkv.harness;
