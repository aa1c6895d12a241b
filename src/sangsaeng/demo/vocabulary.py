"""Words and sentence patterns the demo generator writes fictional profiles with.

Each capability (a taxonomy code) has its keywords, a line a company would use about it,
and paper/patent patterns in Korean and English, so that a generated record's tags agree
with its text and search and matching have real technical language to work on.
Slots in braces are filled by the generator: {node}, {app_en}, {app_ko}, {n}, {x}, {pct}.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Capability:
    code: str
    keywords: tuple[str, ...]
    company_ko: str
    company_en: str
    titles_en: tuple[str, ...]
    titles_ko: tuple[str, ...]
    problem_en: str
    problem_ko: str
    method_en: str
    method_ko: str


APPLICATIONS = {
    "automotive": ("automotive ADAS", "자율주행·ADAS"),
    "mobile": ("smartphone", "스마트폰"),
    "data-centre": ("data-centre", "데이터센터"),
    "iot": ("battery-powered IoT", "배터리 기반 IoT"),
    "robotics": ("service-robot", "서비스 로봇"),
    "games-media": ("real-time game", "실시간 게임"),
}
NODES = ("28nm CMOS", "22nm FD-SOI", "16nm FinFET", "12nm FinFET", "7nm FinFET", "5nm", "40nm")

CAPABILITIES: tuple[Capability, ...] = (
    Capability(
        "npu",
        ("NPU", "AI accelerator", "systolic array", "INT8", "sparsity", "신경망처리장치"),
        "INT4/INT8 혼합 정밀도와 희소성 가속을 지원하는 NPU IP를 설계합니다.",
        "designs NPU IP with mixed INT4/INT8 precision and sparsity acceleration.",
        (
            "A {x} TOPS/W Sparse NPU for {app_en} Inference in {node}",
            "Dataflow-Aware Tiling for Systolic-Array NPUs under Tight SRAM Budgets",
            "An Energy-Efficient Transformer Accelerator with Token Pruning in {node}",
            "Reconfigurable MAC Arrays for Mixed-Precision CNN and Transformer Workloads",
        ),
        (
            "{app_ko}용 저전력 희소성 NPU 구조 설계",
            "온칩 SRAM 제약을 고려한 시스톨릭 어레이 NPU의 데이터플로 최적화",
            "트랜스포머 추론을 위한 혼합 정밀도 신경망처리장치 설계",
        ),
        "Inference accelerators spend most of their energy moving activations between SRAM "
        "and the MAC array.",
        "NPU 추론 전력의 대부분은 SRAM과 연산기 사이의 데이터 이동에서 소모된다.",
        "We propose a weight-stationary dataflow with zero-skipping that exploits activation "
        "sparsity",
        "본 연구는 활성값 희소성을 활용하는 가중치 고정형 데이터플로와 0값 건너뛰기 기법을 "
        "제안한다",
    ),
    Capability(
        "llm",
        ("LLM", "large language model", "fine-tuning", "RAG", "거대언어모델", "한국어 LLM"),
        "한국어 특화 거대언어모델과 검색 증강 생성(RAG) 솔루션을 제공합니다.",
        "builds Korean-language large language models and retrieval-augmented generation.",
        (
            "Efficient Fine-Tuning of Korean Large Language Models with Low-Rank Adapters",
            "Retrieval-Augmented Generation for Semiconductor Design Documents",
            "KV-Cache Compression for Long-Context LLM Serving",
        ),
        (
            "한국어 거대언어모델의 효율적 미세조정 기법",
            "반도체 설계 문서를 위한 검색 증강 생성(RAG) 시스템",
            "긴 문맥 LLM 서빙을 위한 KV 캐시 압축",
        ),
        "Serving large language models is limited by memory bandwidth and KV-cache size.",
        "거대언어모델 서빙은 메모리 대역폭과 KV 캐시 크기에 의해 제한된다.",
        "We combine low-rank adaptation with quantised KV caches",
        "저랭크 적응(LoRA)과 양자화된 KV 캐시를 결합한 방법을 제안한다",
    ),
    Capability(
        "computer-vision",
        ("computer vision", "object detection", "segmentation", "ISP", "컴퓨터 비전", "영상 인식"),
        "카메라 영상 인식과 영상 신호 처리(ISP) 알고리즘을 개발합니다.",
        "develops camera perception and image signal processing (ISP) algorithms.",
        (
            "Real-Time Object Detection for {app_en} Cameras on a {x}-TOPS Budget",
            "Joint Demosaicking and Denoising with a Lightweight CNN for Low-Light ISP",
            "Multi-Camera 3D Occupancy Prediction for {app_en} Systems",
        ),
        (
            "{app_ko} 카메라를 위한 실시간 객체 검출",
            "저조도 영상을 위한 경량 CNN 기반 ISP 잡음 제거",
            "다중 카메라 기반 3차원 점유 예측",
        ),
        "Camera perception must run in real time on a limited compute budget.",
        "카메라 영상 인식은 제한된 연산 자원에서 실시간으로 동작해야 한다.",
        "We design a lightweight detection network co-optimised with the image signal processor",
        "영상 신호 처리기와 함께 최적화한 경량 검출 신경망을 설계한다",
    ),
    Capability(
        "edge-ai",
        ("edge AI", "on-device AI", "TinyML", "low-power inference", "온디바이스 AI", "엣지 AI"),
        "스마트폰·가전·센서에서 동작하는 온디바이스 AI 솔루션을 만듭니다.",
        "builds on-device AI that runs on phones, appliances and sensors.",
        (
            "Always-On Keyword and Event Detection under 1 mW for {app_en} Devices",
            "On-Device Personalisation of Vision Models with Federated Updates",
            "A TinyML Runtime for Microcontrollers with {x} KB of SRAM",
        ),
        (
            "1mW 이하 상시 동작 온디바이스 AI 센서 허브",
            "{app_ko} 기기를 위한 엣지 AI 추론 최적화",
            "RISC-V 벡터 확장을 활용한 엣지 NPU 컴파일러 최적화",
        ),
        "On-device AI must fit a milliwatt power budget and a few hundred kilobytes of memory.",
        "온디바이스 AI는 밀리와트 수준의 전력과 수백 KB의 메모리 안에서 동작해야 한다.",
        "We co-design the network and its runtime for duty-cycled execution",
        "간헐 동작을 고려해 신경망과 런타임을 함께 설계한다",
    ),
    Capability(
        "model-compression",
        ("quantisation", "pruning", "knowledge distillation", "INT4", "양자화", "모델 경량화"),
        "양자화·가지치기·지식 증류로 AI 모델을 경량화하는 도구를 제공합니다.",
        "provides tools that compress AI models by quantisation, pruning and distillation.",
        (
            "Post-Training 4-bit Quantisation of Vision Transformers without Accuracy Loss",
            "Hardware-Aware Structured Pruning for NPU Deployment",
            "Distilling Large Language Models into Edge-Sized Students",
        ),
        (
            "비전 트랜스포머의 4비트 사후 양자화",
            "NPU 배치를 고려한 구조적 가지치기",
            "지식 증류를 이용한 거대언어모델 경량화",
        ),
        "Large models do not fit the memory and power budgets of edge devices.",
        "대형 모델은 엣지 기기의 메모리와 전력 한도에 맞지 않는다.",
        "We quantise weights and activations to 4 bits with a calibration set of {n} images",
        "{n}장의 보정 데이터로 가중치와 활성값을 4비트로 양자화한다",
    ),
    Capability(
        "speech",
        ("speech recognition", "ASR", "TTS", "keyword spotting", "음성 인식", "음성 합성"),
        "잡음 환경에 강한 한국어 음성 인식·합성 엔진을 개발합니다.",
        "develops noise-robust Korean speech recognition and synthesis engines.",
        (
            "Streaming Korean Speech Recognition on a Low-Power DSP",
            "Noise-Robust Keyword Spotting for In-Car Voice Assistants",
        ),
        (
            "저전력 DSP 기반 스트리밍 한국어 음성 인식",
            "차량용 음성 비서를 위한 잡음 강인 키워드 검출",
        ),
        "Speech interfaces must work in noise and without a cloud connection.",
        "음성 인터페이스는 잡음 환경과 네트워크가 없는 상황에서도 동작해야 한다.",
        "We train a streaming conformer and quantise it for a fixed-point DSP",
        "스트리밍 컨포머 모델을 학습하고 고정소수점 DSP에 맞게 양자화한다",
    ),
    Capability(
        "ai-compiler",
        ("AI compiler", "MLIR", "TVM", "operator fusion", "graph optimisation", "AI 컴파일러"),
        "MLIR 기반 AI 컴파일러로 신경망을 자사·타사 NPU에 매핑합니다.",
        "maps neural networks onto NPUs with an MLIR-based AI compiler.",
        (
            "An MLIR-Based Compiler Flow for Heterogeneous NPU Clusters",
            "Operator Fusion and Memory Planning for Transformer Inference on NPUs",
            "Auto-Tuning Tensor Tiling with Learned Cost Models",
        ),
        (
            "이기종 NPU를 위한 MLIR 기반 AI 컴파일러",
            "NPU 트랜스포머 추론을 위한 연산자 융합과 메모리 계획",
            "RISC-V 벡터 확장을 활용한 엣지 NPU 컴파일러 최적화",
        ),
        "Hand-written kernels cannot keep up with new network architectures and new NPUs.",
        "새로운 신경망 구조와 NPU가 나올 때마다 커널을 직접 작성하기는 어렵다.",
        "We lower models through MLIR dialects and search tilings with a learned cost model",
        "MLIR 다이얼렉트로 모델을 변환하고 학습된 비용 모델로 타일링을 탐색한다",
    ),
    Capability(
        "mlops",
        ("MLOps", "model serving", "GPU cluster", "Kubernetes", "모델 배포", "AI 인프라"),
        "GPU 클러스터 운영과 모델 배포·모니터링(MLOps) 플랫폼을 제공합니다.",
        "offers an MLOps platform for GPU clusters, model deployment and monitoring.",
        (
            "Scheduling Mixed Training and Inference Jobs on Shared GPU Clusters",
            "Drift Detection for Deployed Vision Models in Factories",
        ),
        ("공유 GPU 클러스터의 학습·추론 작업 스케줄링", "제조 현장 비전 모델의 성능 저하 감지"),
        "Shared GPU clusters are under-used while jobs wait in queues.",
        "공유 GPU 클러스터는 작업이 대기하는 동안에도 자원이 충분히 활용되지 않는다.",
        "We schedule jobs with a preemption-aware packing policy",
        "선점을 고려한 작업 배치 정책으로 작업을 스케줄링한다",
    ),
    Capability(
        "soc-architecture",
        ("SoC", "network on chip", "cache coherence", "performance modelling", "SoC 아키텍처"),
        "고성능 SoC 아키텍처와 온칩 네트워크(NoC)를 설계합니다.",
        "designs high-performance SoC architectures and networks on chip (NoC).",
        (
            "A Cycle-Approximate Performance Model for {app_en} SoC Exploration",
            "Coherent Network-on-Chip Design for Heterogeneous AI SoCs",
            "Early Power Estimation of SoC Architectures from Transaction Traces",
        ),
        (
            "{app_ko}용 SoC 구조 탐색을 위한 성능 모델",
            "이기종 AI SoC를 위한 캐시 일관성 온칩 네트워크",
        ),
        "Architecture decisions are made before RTL exists, on little data.",
        "SoC 구조 결정은 RTL이 나오기 전, 적은 정보로 내려진다.",
        "We build a transaction-level model calibrated against silicon measurements",
        "실리콘 측정값으로 보정한 트랜잭션 수준 모델을 구축한다",
    ),
    Capability(
        "risc-v",
        ("RISC-V", "CPU", "vector extension", "microarchitecture", "RVV", "RISC-V 코어"),
        "RISC-V 기반 CPU 코어와 벡터 확장(RVV) IP를 개발합니다.",
        "develops RISC-V CPU cores and vector-extension (RVV) IP.",
        (
            "An Out-of-Order RISC-V Core with RVV 1.0 Support in {node}",
            "Custom RISC-V Instructions for Post-Quantum Cryptography",
            "A Lightweight RISC-V Vector Unit for {app_en} Signal Processing",
        ),
        (
            "RISC-V 벡터 확장(RVV 1.0)을 지원하는 비순차 실행 코어",
            "RISC-V 벡터 확장을 활용한 엣지 NPU 컴파일러 최적화",
            "{app_ko}용 경량 RISC-V 벡터 연산기",
        ),
        "Open instruction sets let small firms build application-specific processors.",
        "개방형 명령어 집합은 작은 기업도 응용에 맞춘 프로세서를 만들 수 있게 한다.",
        "We extend a RISC-V core with custom vector instructions and verify it formally",
        "RISC-V 코어에 맞춤형 벡터 명령어를 추가하고 형식 검증한다",
    ),
    Capability(
        "analog-rf",
        ("analog", "RF", "ADC", "PLL", "transceiver", "아날로그 회로", "RF 송수신기"),
        "고속·저전력 ADC, PLL과 RF 송수신기 IP를 설계합니다.",
        "designs high-speed low-power ADCs, PLLs and RF transceiver IP.",
        (
            "A 12-bit {x} MS/s SAR ADC with Background Calibration in {node}",
            "A Low-Jitter Fractional-N PLL for {app_en} Radar",
            "A Wideband Low-Noise Amplifier for Sub-6 GHz Receivers",
        ),
        (
            "{node} 공정 기반 12비트 SAR ADC 설계",
            "{app_ko} 레이더용 저지터 분수분주 PLL",
            "Sub-6GHz 수신기를 위한 광대역 저잡음 증폭기",
        ),
        "Data converters and clocks set the accuracy and power of sensor front ends.",
        "데이터 변환기와 클록은 센서 아날로그 프런트엔드의 정확도와 전력을 좌우한다.",
        "We present a calibrated successive-approximation architecture with a low-jitter clock",
        "저지터 클록과 배경 보정을 갖춘 축차 비교형 구조를 제시한다",
    ),
    Capability(
        "pmic",
        ("PMIC", "DC-DC converter", "LDO", "battery management", "전력관리반도체"),
        "모바일·차량용 전력관리반도체(PMIC)와 DC-DC 변환기를 설계합니다.",
        "designs power management ICs (PMIC) and DC-DC converters for mobile and automotive.",
        (
            "A 95%-Efficient Multi-Phase Buck Converter for {app_en} Processors",
            "A Fast-Transient Digital LDO for Dynamic Voltage Scaling",
            "A Battery Management IC with Cell Balancing for Electric Vehicles",
        ),
        (
            "{app_ko} 프로세서용 고효율 다상 벅 변환기",
            "동적 전압 조절을 위한 고속 응답 디지털 LDO",
            "전기차 배터리 셀 밸런싱 전력관리반도체",
        ),
        "Processors change their load current in nanoseconds, which stresses the power supply.",
        "프로세서의 부하 전류는 나노초 단위로 변해 전원 회로에 큰 부담을 준다.",
        "We propose a multi-phase converter with adaptive on-time control",
        "적응형 온타임 제어를 적용한 다상 변환기를 제안한다",
    ),
    Capability(
        "memory-interface",
        ("DDR5", "LPDDR5X", "HBM3", "memory controller", "PHY", "메모리 인터페이스"),
        "DDR5·LPDDR5X·HBM 메모리 컨트롤러와 PHY IP를 제공합니다.",
        "provides DDR5, LPDDR5X and HBM memory controllers and PHY IP.",
        (
            "A 0.6 V LPDDR5X PHY with Adaptive Equalisation at {x} Gb/s/pin",
            "An HBM3 Controller with Refresh-Aware Scheduling for AI Accelerators",
            "Training-Free Read Eye Centring for DDR5 Interfaces",
        ),
        (
            "적응형 등화기를 갖춘 저전압 LPDDR5X PHY",
            "AI 가속기를 위한 리프레시 인지 HBM3 컨트롤러",
            "DDR5 인터페이스의 읽기 아이 자동 정렬 기법",
        ),
        "AI accelerators are bound by memory bandwidth rather than by compute.",
        "AI 가속기의 성능은 연산보다 메모리 대역폭에 의해 제한된다.",
        "We design a low-swing transceiver with per-pin deskew and adaptive equalisation",
        "핀별 스큐 보정과 적응형 등화를 갖춘 저진폭 송수신기를 설계한다",
    ),
    Capability(
        "high-speed-interface",
        ("PCIe 6.0", "UCIe", "SerDes", "CXL", "die-to-die", "고속 인터페이스"),
        "PCIe·UCIe·SerDes 고속 인터페이스 IP를 개발합니다.",
        "develops PCIe, UCIe and SerDes high-speed interface IP.",
        (
            "A {x} Gb/s PAM4 SerDes Receiver with a 3-Tap DFE in {node}",
            "A UCIe-Compliant Die-to-Die Link at 0.3 pJ/bit",
            "Link Training and Equalisation for PCIe 6.0 Retimers",
        ),
        (
            "{node} 공정 PAM4 SerDes 수신기 설계",
            "칩렛 연결을 위한 UCIe 호환 다이 간 인터페이스",
            "PCIe 6.0 리타이머의 링크 트레이닝과 등화",
        ),
        "Chiplets and accelerators need more bandwidth per millimetre of die edge.",
        "칩렛과 가속기는 다이 가장자리 1mm당 더 많은 대역폭을 필요로 한다.",
        "We present a PAM4 receiver with decision-feedback equalisation and clock recovery",
        "판정 궤환 등화기와 클록 복원 회로를 갖춘 PAM4 수신기를 제시한다",
    ),
    Capability(
        "verification",
        ("verification", "UVM", "formal verification", "emulation", "coverage", "검증"),
        "UVM·형식 검증과 에뮬레이션 기반 SoC 검증 서비스를 제공합니다.",
        "offers SoC verification services with UVM, formal methods and emulation.",
        (
            "Coverage-Driven Stimulus Generation with Reinforcement Learning",
            "Formal Verification of Cache Coherence Protocols in AI SoCs",
            "Reusable UVM Environments for NPU Verification",
        ),
        (
            "강화학습 기반 커버리지 주도 검증 자극 생성",
            "AI SoC 캐시 일관성 프로토콜의 형식 검증",
            "NPU 검증을 위한 재사용 가능한 UVM 환경",
        ),
        "Verification takes most of a chip project's schedule.",
        "검증은 칩 개발 일정의 대부분을 차지한다.",
        "We close coverage faster by learning which stimuli reach uncovered states",
        "미도달 상태에 이르는 자극을 학습해 커버리지를 더 빨리 달성한다",
    ),
    Capability(
        "dft",
        ("DFT", "scan chain", "BIST", "ATPG", "test compression", "테스트 용이화 설계"),
        "스캔·BIST·ATPG 기반 테스트 용이화 설계(DFT) 서비스를 제공합니다.",
        "provides design-for-test (DFT) services: scan, BIST and ATPG.",
        (
            "Low-Power Scan Test Compression for {node} AI Chips",
            "Memory BIST with Repair Analysis for Large On-Chip SRAM",
        ),
        ("AI 칩을 위한 저전력 스캔 테스트 압축", "대용량 SRAM을 위한 메모리 BIST와 수리 분석"),
        "Test cost and test power grow with the size of AI chips.",
        "AI 칩이 커질수록 테스트 비용과 테스트 전력도 증가한다.",
        "We reorder scan chains and compress patterns to cut test time",
        "스캔 체인 재배열과 패턴 압축으로 테스트 시간을 줄인다",
    ),
    Capability(
        "physical-design",
        ("physical design", "place and route", "timing closure", "IR drop", "물리 설계"),
        "{node} 이하 공정의 배치·배선과 타이밍 클로저를 수행합니다.",
        "performs place-and-route and timing closure in advanced nodes.",
        (
            "Machine-Learning Prediction of Routing Congestion before Placement",
            "IR-Drop-Aware Placement for High-Density NPU Blocks in {node}",
        ),
        ("배치 전 배선 혼잡도의 머신러닝 예측", "{node} NPU 블록의 IR 드롭 인지 배치"),
        "Timing closure iterations dominate the back-end schedule.",
        "타이밍 클로저 반복이 후단 설계 일정의 대부분을 차지한다.",
        "We predict congestion and IR drop from the netlist and guide placement",
        "넷리스트로부터 혼잡도와 IR 드롭을 예측해 배치를 유도한다",
    ),
    Capability(
        "eda",
        ("EDA", "design automation", "logic synthesis", "ML for EDA", "설계 자동화"),
        "머신러닝을 활용한 설계 자동화(EDA) 소프트웨어를 개발합니다.",
        "develops machine-learning-driven design automation (EDA) software.",
        (
            "Graph Neural Networks for Timing Prediction in Logic Synthesis",
            "LLM-Assisted RTL Generation and Repair",
        ),
        (
            "논리 합성 타이밍 예측을 위한 그래프 신경망",
            "거대언어모델을 이용한 RTL 생성과 오류 수정",
        ),
        "Design tools run for hours on each iteration of a chip.",
        "설계 도구는 칩 설계를 반복할 때마다 수 시간씩 실행된다.",
        "We train a graph neural network on {n} synthesised designs",
        "{n}개의 합성 설계로 그래프 신경망을 학습한다",
    ),
    Capability(
        "packaging-chiplet",
        ("chiplet", "2.5D packaging", "interposer", "hybrid bonding", "패키징", "칩렛"),
        "2.5D·3D 패키징과 칩렛 집적 설계를 지원합니다.",
        "supports 2.5D/3D packaging and chiplet integration.",
        (
            "Thermal-Aware Floorplanning of Chiplets on a Silicon Interposer",
            "Known-Good-Die Testing for UCIe Chiplet Systems",
        ),
        ("실리콘 인터포저 칩렛의 열 인지 배치", "칩렛 시스템을 위한 양품 다이 테스트"),
        "Chiplets lower cost but add thermal and test challenges.",
        "칩렛은 비용을 낮추지만 열과 테스트 문제를 더한다.",
        "We co-optimise chiplet placement with a compact thermal model",
        "간이 열 모델과 함께 칩렛 배치를 최적화한다",
    ),
    Capability(
        "foundry-mpw",
        ("foundry", "MPW", "shuttle", "tape-out", "PDK", "파운드리", "시제품"),
        "MPW 셔틀을 통한 시제품 제작과 테이프아웃을 지원합니다.",
        "supports prototyping and tape-out on MPW shuttles.",
        (
            "Lessons from {n} MPW Tape-Outs of University AI Chips",
            "A Shared PDK Flow for Multi-Project Wafer Prototyping",
        ),
        ("대학 AI 칩 MPW 시제품 제작 경험", "다중 프로젝트 웨이퍼 제작을 위한 공용 PDK 설계 흐름"),
        "Small teams cannot afford a full mask set for a first prototype.",
        "작은 팀은 첫 시제품에 전체 마스크 비용을 감당하기 어렵다.",
        "We describe a shared flow that takes designs from RTL to an MPW shuttle",
        "RTL부터 MPW 셔틀까지 이어지는 공용 설계 흐름을 기술한다",
    ),
    Capability(
        "post-silicon",
        ("post-silicon validation", "ATE", "characterisation", "yield", "반도체 테스트"),
        "양산 테스트 프로그램 개발과 실리콘 특성 평가를 수행합니다.",
        "develops production test programs and performs silicon characterisation.",
        (
            "Adaptive Test Flows that Cut ATE Time by {pct}%",
            "Silicon Characterisation of a {node} NPU across Voltage and Temperature",
        ),
        ("ATE 테스트 시간을 줄이는 적응형 테스트 흐름", "전압·온도에 따른 NPU 실리콘 특성 평가"),
        "Test time is a large share of the cost of a mature chip.",
        "양산 칩 원가에서 테스트 시간이 큰 비중을 차지한다.",
        "We skip redundant tests using per-die statistics",
        "다이별 통계를 이용해 중복 테스트를 건너뛴다",
    ),
)

BY_CODE = {capability.code: capability for capability in CAPABILITIES}
# Which capabilities go together in one plausible company or research group.
AFFINITY = {
    "npu": ("ai-compiler", "model-compression", "soc-architecture", "memory-interface"),
    "llm": ("mlops", "model-compression", "npu"),
    "computer-vision": ("edge-ai", "npu", "model-compression"),
    "edge-ai": ("model-compression", "risc-v", "npu", "speech"),
    "model-compression": ("edge-ai", "npu", "ai-compiler"),
    "speech": ("edge-ai", "model-compression"),
    "ai-compiler": ("npu", "risc-v", "model-compression"),
    "mlops": ("llm", "computer-vision"),
    "soc-architecture": ("risc-v", "verification", "npu", "high-speed-interface"),
    "risc-v": ("soc-architecture", "verification", "ai-compiler"),
    "analog-rf": ("pmic", "high-speed-interface", "post-silicon"),
    "pmic": ("analog-rf", "post-silicon"),
    "memory-interface": ("high-speed-interface", "physical-design", "soc-architecture"),
    "high-speed-interface": ("memory-interface", "packaging-chiplet", "analog-rf"),
    "verification": ("dft", "soc-architecture", "eda"),
    "dft": ("verification", "post-silicon", "physical-design"),
    "physical-design": ("eda", "dft", "foundry-mpw"),
    "eda": ("physical-design", "verification", "llm"),
    "packaging-chiplet": ("high-speed-interface", "foundry-mpw", "post-silicon"),
    "foundry-mpw": ("physical-design", "packaging-chiplet", "post-silicon"),
    "post-silicon": ("dft", "foundry-mpw", "analog-rf"),
}

RESULTS_EN = (
    "Measured results show a {pct}% reduction in energy at the same accuracy.",
    "Compared with the baseline, throughput improves by {pct}% in a {node} implementation.",
    "Evaluated on {n} benchmarks, the method cuts latency by {pct}%.",
)
RESULTS_KO = (
    "측정 결과 동일 정확도에서 에너지를 {pct}% 줄였다.",
    "{node} 구현에서 기존 대비 처리량이 {pct}% 향상되었다.",
    "{n}개 벤치마크에서 지연 시간을 {pct}% 단축하였다.",
)

# Invented name parts: company names must not be mistaken for real firms.
NAME_STEMS = (
    ("Velka", "벨카"),
    ("Zorin", "조린"),
    ("Quarv", "쿼브"),
    ("Mirel", "미렐"),
    ("Talvo", "탈보"),
    ("Oxira", "옥시라"),
    ("Rynth", "린스"),
    ("Keshal", "케샬"),
    ("Lumora", "루모라"),
    ("Dravi", "드라비"),
    ("Novex", "노벡스"),
    ("Pyxel", "픽셀"),
    ("Solvi", "솔비"),
    ("Tevra", "테브라"),
    ("Ushan", "우샨"),
    ("Wynter", "윈터"),
    ("Yarro", "야로"),
    ("Xenda", "젠다"),
    ("Fenno", "페노"),
    ("Glimra", "글림라"),
    ("Hovan", "호반"),
    ("Iskel", "이스켈"),
    ("Jorva", "요르바"),
    ("Kavri", "카브리"),
)
NAME_ENDINGS = (
    ("Silicon", "실리콘"),
    ("Semi", "세미"),
    ("AI", "에이아이"),
    ("Labs", "랩스"),
    ("Microsystems", "마이크로시스템즈"),
    ("Devices", "디바이스"),
    ("Logic", "로직"),
    ("Circuits", "서킷"),
)
SURNAMES = (
    ("김", "Kim"),
    ("이", "Lee"),
    ("박", "Park"),
    ("최", "Choi"),
    ("정", "Jung"),
    ("강", "Kang"),
    ("조", "Cho"),
    ("윤", "Yoon"),
    ("장", "Jang"),
    ("임", "Lim"),
    ("한", "Han"),
    ("오", "Oh"),
    ("서", "Seo"),
    ("신", "Shin"),
    ("권", "Kwon"),
    ("황", "Hwang"),
    ("안", "Ahn"),
    ("송", "Song"),
    ("류", "Ryu"),
    ("홍", "Hong"),
)
GIVEN_NAMES = (
    ("서연", "Seoyeon"),
    ("민준", "Minjun"),
    ("지우", "Jiwoo"),
    ("하준", "Hajun"),
    ("도윤", "Doyun"),
    ("수아", "Sua"),
    ("예린", "Yerin"),
    ("태현", "Taehyun"),
    ("승민", "Seungmin"),
    ("지훈", "Jihoon"),
    ("유진", "Yujin"),
    ("현우", "Hyunwoo"),
    ("다은", "Daeun"),
    ("준서", "Junseo"),
    ("하은", "Haeun"),
    ("시우", "Siwoo"),
    ("은지", "Eunji"),
    ("동현", "Donghyun"),
    ("채원", "Chaewon"),
    ("건우", "Geonwoo"),
    ("소윤", "Soyun"),
    ("재원", "Jaewon"),
    ("민서", "Minseo"),
    ("성훈", "Sunghoon"),
)
EXPERT_POSITIONS = (
    ("수석연구원", "Principal Engineer"),
    ("책임연구원", "Senior Researcher"),
    ("연구소장", "Head of Research"),
    ("최고기술책임자(CTO)", "Chief Technology Officer"),
    ("교수", "Professor"),
    ("부교수", "Associate Professor"),
    ("선임연구원", "Research Engineer"),
)
STUDY_PROGRAMS = (
    "전자전기공학과 석사과정",
    "전자전기공학과 박사과정",
    "반도체시스템공학과 학사과정",
    "인공지능학과 석사과정",
    "컴퓨터공학과 학사과정",
    "AI융합전자공학과 석사과정",
    "M.S. in Electrical Engineering",
    "Ph.D. in Computer Science",
)
ADDRESSES = (
    "경기도 성남시 분당구 판교역로",
    "경기도 성남시 분당구 대왕판교로",
    "경기도 성남시 분당구 삼평동",
    "경기도 성남시 수정구 금토로",
    "경기도 성남시 중원구 둔촌대로",
)
