package i18n

// The words of the profiling flags (issue 13: performance).
func init() {
	register(map[string]Message{
		"cli.flag.cpuprofile": {"실행 동안의 CPU 프로파일을 FILE에 씀 (환경 변수 %s=cpu=FILE도 됨)",
			"write a CPU profile of the run to FILE (or set %s=cpu=FILE)"},
		"cli.flag.memprofile": {"끝날 때 메모리 할당 프로파일을 FILE에 씀 (환경 변수 %s=mem=FILE도 됨)",
			"write a memory (allocations) profile at the end to FILE (or set %s=mem=FILE)"},
	})
}
