package ai.dad.toolkit.cli;

import ai.dad.toolkit.demo.DemoParts;
import ai.dad.imaging.Png;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dad demo-data}: writes the synthetic "washer" data set the built-in demo model is trained
 * on, in MVTec AD layout (train/good, test/good, test/{scratch,spot,chip}, ground_truth).
 */
@Command(name = "demo-data", mixinStandardHelpOptions = true,
        description = "Generate the synthetic demo data set (MVTec layout) the built-in model is trained on.")
public final class DemoDataCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR")
    Path out;

    @Option(names = "--train", defaultValue = "120", description = "Good training images (default: ${DEFAULT-VALUE}).")
    int train;

    @Option(names = "--test-good", defaultValue = "12")
    int testGood;

    @Option(names = "--test-per-defect", defaultValue = "8")
    int testPerDefect;

    @Option(names = "--size", defaultValue = "128", description = "Image size in pixels (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--seed", defaultValue = "7")
    long seed;

    @Override
    public Integer call() throws Exception {
        DemoParts parts = new DemoParts(size);
        Random random = new Random(seed);
        for (int i = 0; i < train; i++) {
            Png.write(parts.good(random).image(), out.resolve("train/good").resolve(name(i)));
        }
        for (int i = 0; i < testGood; i++) {
            Png.write(parts.good(random).image(), out.resolve("test/good").resolve(name(i)));
        }
        for (DemoParts.Defect defect : DemoParts.Defect.values()) {
            String type = defect.name().toLowerCase(Locale.ROOT);
            for (int i = 0; i < testPerDefect; i++) {
                DemoParts.Part part = parts.defective(defect, random);
                Png.write(part.image(), out.resolve("test").resolve(type).resolve(name(i)));
                Png.writeGray(part.mask(), size, size,
                        out.resolve("ground_truth").resolve(type).resolve(String.format(Locale.ROOT, "%03d_mask.png", i)));
            }
        }
        spec.commandLine().getOut().printf("wrote the demo data set to %s%n", out);
        spec.commandLine().getOut().flush();
        return CommandLine.ExitCode.OK;
    }

    private static String name(int i) {
        return String.format(Locale.ROOT, "%03d.png", i);
    }
}
