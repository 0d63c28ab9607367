package ai.dad.djl.cli;

import ai.dad.imaging.RgbImage;
import ai.dad.djl.synth.AnomalySynthesizer;
import ai.dad.djl.synth.Sample;
import ai.dad.djl.synth.SynthWriter;
import ai.dad.djl.train.ImageFolders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dad synth}: writes synthesised training samples (image and mask PNGs) so a person can
 * see what the segmentation network learns from. Only anomalous samples are written.
 */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Write synthesised anomalies (image + mask PNGs) made from good images.")
public final class SynthCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Good images (MVTec category or folder).")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "DIR")
    Path out;

    @Option(names = "-n", defaultValue = "16", description = "How many samples (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--textures", paramLabel = "DIR", description = "Anomaly-source images, e.g. DTD.")
    Path textures;

    @Option(names = "--image-size", defaultValue = "256")
    int size;

    @Option(names = "--category-type", defaultValue = "object", description = "object or texture.")
    String categoryType;

    @Option(names = "--seed", defaultValue = "0")
    long seed;

    @Override
    public Integer call() throws Exception {
        List<Path> files = ImageFolders.goodTrainingImages(data);
        List<Path> textureFiles = textures == null ? List.of() : ImageFolders.images(textures);
        AnomalySynthesizer synthesizer = new AnomalySynthesizer(textureFiles, !"texture".equals(categoryType));
        Random random = new Random(seed);
        Files.createDirectories(out);
        int written = 0;
        for (int tries = 0; written < count && tries < 20 * count; tries++) {
            RgbImage image = RgbImage.read(files.get(random.nextInt(files.size())), size);
            Sample sample = synthesizer.synthesize(image, random);
            if (sample.anomalous()) {
                String name = String.format(Locale.ROOT, "%04d", written);
                SynthWriter.write(sample, out.resolve(name + "_image.png"), out.resolve(name + "_mask.png"));
                written++;
            }
        }
        spec.commandLine().getOut().printf("wrote %d samples to %s%n", written, out);
        spec.commandLine().getOut().flush();
        return CommandLine.ExitCode.OK;
    }
}
