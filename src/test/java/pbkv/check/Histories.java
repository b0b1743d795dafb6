package pbkv.check;

import java.util.Arrays;
import java.util.List;

/** Builds small histories from readable text, so tests show the history they check. */
final class Histories {

    private Histories() {
    }

    /**
     * A pbkv history from lines whose fields are separated by spaces instead of tabs, e.g.
     * {@code "c1 put k v1 - 0 10 ok - 1"}; values in these tests contain no spaces.
     */
    static History pbkv(String... lines) {
        try {
            return PbkvHistoryFormat.parse(Arrays.stream(lines).map(l -> l.replace(' ', '\t')).toList());
        } catch (HistoryParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /**
     * A Jepsen etcd history from events like {@code "3 invoke cas [1 4]"}, written in the log
     * format the parser reads.
     */
    static History etcd(String... events) {
        List<String> lines = Arrays.stream(events).map(Histories::etcdLine).toList();
        try {
            return JepsenEtcdParser.parse(lines);
        } catch (HistoryParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static String etcdLine(String event) {
        String[] f = event.split(" ", 4);
        return "INFO  jepsen.util - " + f[0] + "\t:" + f[1] + "\t:" + f[2] + "\t" + f[3];
    }

    static CheckResult check(History history) {
        return LinearizabilityChecker.check(history);
    }
}
