package pbkv.torture;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import pbkv.check.OpType;
import pbkv.check.Operation;
import pbkv.check.Completion;

/**
 * The plain-words check beside the linearizability checker: after healing, every key's final value
 * must account for every acknowledged write. An acknowledged put, cas or delete is accounted for when
 * the final read shows its effect, or when another write to the key that may have taken effect after
 * it exists (an acknowledged one that had not returned before it was invoked, or an unknown one). And
 * a final value must be one that some client wrote. Either failure is an acknowledged write lost (or
 * a value invented), named with its history line so a reader can find it.
 */
public final class AckedWriteCheck {

    private AckedWriteCheck() {
    }

    /**
     * @param operations every checked operation, the final reads included
     * @param finalReads per key, the successful read made after healing
     * @return one line per lost acknowledged write or invented value; empty when all is accounted for
     */
    public static List<String> lostWrites(List<Operation> operations, Map<String, Operation> finalReads) {
        List<String> lost = new ArrayList<>();
        for (Map.Entry<String, Operation> entry : finalReads.entrySet()) {
            String key = entry.getKey();
            String finalValue = entry.getValue().resultValue();
            List<Operation> writes = operations.stream()
                    .filter(op -> op.key().equals(key) && isWrite(op) && op.outcome() != Completion.FAIL)
                    .toList();
            for (Operation acked : writes) {
                if (acked.outcome() == Completion.OK && !Objects.equals(effect(acked), finalValue)
                        && writes.stream().noneMatch(other -> other != acked && mayFollow(other, acked))) {
                    lost.add("acknowledged " + acked.describe() + " is lost: the final read of " + key
                            + " found " + shown(finalValue) + " and no later write explains it");
                }
            }
            boolean written = writes.stream().anyMatch(w -> w.type() != OpType.DELETE && w.argument().equals(finalValue));
            if (finalValue != null && !written) {
                lost.add("the final read of " + key + " found " + shown(finalValue) + ", which no client wrote");
            }
        }
        return lost;
    }

    private static boolean isWrite(Operation op) {
        return op.type() == OpType.PUT || op.type() == OpType.CAS || op.type() == OpType.DELETE;
    }

    /** The value a write leaves behind; null (absent) for a delete. */
    private static String effect(Operation write) {
        return write.type() == OpType.DELETE ? null : write.argument();
    }

    /** Whether {@code later} may have taken effect after {@code first} did. */
    private static boolean mayFollow(Operation later, Operation first) {
        return later.outcome() == Completion.UNKNOWN || later.returnTime() > first.callTime();
    }

    private static String shown(String value) {
        return value == null ? "the key absent" : value;
    }
}
