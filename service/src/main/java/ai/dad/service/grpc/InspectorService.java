package ai.dad.service.grpc;

import ai.dad.proto.v1.GetModelRequest;
import ai.dad.proto.v1.InspectRequest;
import ai.dad.proto.v1.InspectorGrpc;
import ai.dad.proto.v1.ListModelsRequest;
import ai.dad.proto.v1.ListModelsResponse;
import ai.dad.proto.v1.ModelInfo;
import ai.dad.proto.v1.ModelState;
import ai.dad.proto.v1.Verdict;
import ai.dad.service.InspectionMetrics;
import ai.dad.service.ServiceConfig;
import ai.dad.service.model.LoadedModel;
import ai.dad.service.model.ModelRegistry;
import ai.dad.service.model.ModelStatus;
import ai.dad.service.model.ModelStatus.Latest;
import ai.dad.spi.ModelManifest;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;

/** The dad.v1.Inspector gRPC service (see proto/src/main/proto/dad/v1/inspect.proto). */
@GrpcService
public class InspectorService extends InspectorGrpc.InspectorImplBase {
    @Inject
    FramePipeline pipeline;

    @Inject
    ModelRegistry registry;

    @Inject
    InspectionMetrics metrics;

    @Inject
    ServiceConfig config;

    @Override
    public void inspect(InspectRequest request, StreamObserver<Verdict> responses) {
        // A caller that gives up (cancel or deadline) frees its place: the batcher skips the frame.
        Context call = Context.current();
        pipeline.inspect(request, deadlineNanos(), call::isCancelled).whenComplete((v, error) -> {
            if (error == null) {
                responses.onNext(v);
                responses.onCompleted();
            } else {
                Status status = Errors.toStatus(error);
                metrics.error(status.getCode());
                responses.onError(status.asRuntimeException());
            }
        });
    }

    @Override
    public StreamObserver<InspectRequest> inspectStream(StreamObserver<Verdict> responses) {
        return new StreamSession((ServerCallStreamObserver<Verdict>) responses, pipeline,
                config.frames().streamWindow(), deadlineNanos(), metrics::error);
    }

    @Override
    public void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> responses) {
        ListModelsResponse.Builder list = ListModelsResponse.newBuilder().setDefaultModel(registry.defaultId());
        registry.statuses().forEach(m -> list.addModels(info(m)));
        responses.onNext(list.build());
        responses.onCompleted();
    }

    @Override
    public void getModel(GetModelRequest request, StreamObserver<ModelInfo> responses) {
        try {
            responses.onNext(info(registry.serving(request.getModel())));
            responses.onCompleted();
        } catch (Exception e) {
            Status status = Errors.toStatus(e);
            metrics.error(status.getCode());
            responses.onError(status.asRuntimeException());
        }
    }

    /** The version serving, if any, and the state of the latest one found in the models folder. */
    private ModelInfo info(ModelStatus status) {
        ModelInfo.Builder info = ModelInfo.newBuilder()
                .setId(status.id())
                .setIsDefault(status.id().equals(registry.defaultId()))
                .setStateMessage(status.message());
        LoadedModel model = status.serving();
        if (model == null) {
            return info.setState(status.latest() == Latest.LOADING ? ModelState.MODEL_STATE_LOADING : ModelState.MODEL_STATE_FAILED)
                    .build();
        }
        ModelManifest m = model.manifest();
        info.setState(ModelState.MODEL_STATE_READY)
                .setVersion(m.version)
                .setPreset(m.preset)
                .setImageSize(m.architecture.imageSize)
                .setMode(m.inference.mode)
                .setTS(m.inference.tSmall)
                .setTB(m.inference.tBig)
                .setW(m.inference.w)
                .setTopK(m.inference.topK)
                .setBackend(m.backend)
                .setDevice(model.device());
        if (m.calibration.threshold != null) {
            info.setThreshold(m.calibration.threshold);
        }
        return info.build();
    }

    /** The call's deadline as a {@link System#nanoTime()} instant, or never. */
    private static long deadlineNanos() {
        Deadline deadline = Context.current().getDeadline();
        return deadline == null ? Long.MAX_VALUE : System.nanoTime() + deadline.timeRemaining(TimeUnit.NANOSECONDS);
    }
}
