package pbkv.sim;

import java.util.ArrayList;
import java.util.List;
import pbkv.check.History;
import pbkv.check.KvModel;
import pbkv.check.Operation;
import pbkv.check.PbkvHistoryFormat;

/**
 * The clients' history, in the checker's terms, with global virtual time as the one clock.
 * Operations the server definitely refused to start (not the primary, no quorum, connection
 * refused) are counted but left out: they had no effect, and in the KV model a "fail" of a cas
 * or delete means something specific (412: another version; 404: absent), which they are not.
 */
final class SimHistory {

    private final List<Operation> operations = new ArrayList<>();
    private int ok;
    private int fail;
    private int unknown;
    private int rejected;

    void record(Operation op) {
        operations.add(op);
        switch (op.outcome()) {
            case OK -> ok++;
            case FAIL -> fail++;
            case UNKNOWN -> unknown++;
        }
    }

    void rejected() {
        rejected++;
    }

    History history() {
        return new History(KvModel.startingAbsent(), operations);
    }

    /** The history as a pbkv-format file, for {@code bin/check-history --format pbkv}. */
    List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add(PbkvHistoryFormat.HEADER);
        operations.forEach(op -> lines.add(PbkvHistoryFormat.format(op)));
        return lines;
    }

    String summary() {
        return "ops ok=" + ok + " fail=" + fail + " unknown=" + unknown + " rejected=" + rejected;
    }
}
