package pbkv.check;

import java.util.List;

/**
 * Operations to check and the model they must satisfy.
 *
 * @param model      the sequential specification of one key
 * @param operations the operations, on any number of keys, in any order
 */
public record History(Model<?> model, List<Operation> operations) {

    public History {
        operations = List.copyOf(operations);
    }
}
