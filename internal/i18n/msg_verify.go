package i18n

// What `monitord verify` finds wrong in a store (snapshot.Problem): one
// sentence a problem, what differs and what it means. Arguments are text
// (Msg), hence %s; numbers are records and versions, hashes are shortened.
func init() {
	register(map[string]Message{
		"verify.problem.orphan_versions": {
			"상태가 없는 대상의 버전이 저장되어 있습니다: 대상의 상태가 지워졌습니다",
			"versions are stored for a target that has no state: its state was removed",
		},
		"verify.problem.orphan_chain": {
			"상태가 없는 대상의 기록 사슬이 저장되어 있습니다: 대상의 상태가 지워졌습니다",
			"chain records are stored for a target that has no state: its state was removed",
		},
		"verify.problem.state_unreadable": {"대상의 상태를 읽을 수 없습니다", "the target's state cannot be read"},
		"verify.problem.record_missing": {
			"기록 %s이(가) 없습니다: 다음에 저장된 기록은 %s입니다(기록이 지워짐)",
			"record %s is missing: the next stored record is %s (a record was deleted)",
		},
		"verify.problem.record_out_of_sequence": {
			"기록 키 %s이(가) 기록 %s 다음 순서에 맞지 않습니다",
			"record key %s is out of sequence after record %s",
		},
		"verify.problem.record_undecodable": {"기록 %s을(를) 해석할 수 없습니다", "record %s cannot be decoded"},
		"verify.problem.record_moved": {
			"기록 %s이(가) 자신을 기록 %s(이)라고 합니다: 기록이 옮겨졌거나 순서가 바뀌었습니다",
			"record %s says it is record %s: records were moved or reordered",
		},
		"verify.problem.record_changed": {
			"기록 %s의 해시가 기록 %s이(가) 가리키는 값과 다릅니다(%s, 실제 %s): 기록 %s이(가) 바뀌었거나 기록 %s 앞의 기록이 지워졌습니다",
			"record %s does not hash to what record %s links to (%s, found %s): record %s was changed, or one before record %s deleted",
		},
		"verify.problem.record_time": {
			"기록 %s의 관찰 시각 %s이(가) 기록 %s(%s)보다 앞섭니다: 시각이 고쳐졌거나 기록의 순서가 바뀌었습니다",
			"record %s was observed at %s, before record %s (%s): a timestamp was edited or records were reordered",
		},
		"verify.problem.version_created_twice": {
			"기록 %s이(가) 버전 %s을(를) 만든다고 하지만 기록 %s이(가) 이미 만들었습니다",
			"record %s creates version %s, which record %s created already",
		},
		"verify.problem.chain_length": {
			"기록 사슬에는 기록이 %s개 있는데 대상의 머리 정보는 %s개라고 합니다: 끝의 기록이 지워졌거나 더해졌습니다",
			"the chain holds %s records but the target's head says %s: records at the end were deleted or added",
		},
		"verify.problem.head_mismatch": {
			"마지막 기록 %s의 해시는 %s인데 대상의 머리 정보는 %s(이)라고 합니다: 마지막 기록이 바뀌었습니다",
			"the last record %s hashes to %s but the target's head says %s: the last record was changed",
		},
		"verify.problem.version_undecodable": {"버전 %s을(를) 해석할 수 없습니다", "version %s cannot be decoded"},
		"verify.problem.version_bad_hash": {
			"버전 %s이(가) SHA-256이 아닌 블롭 %s을(를) 가리킵니다",
			"version %s names a blob %s that is not a SHA-256",
		},
		"verify.problem.version_unchained": {
			"버전 %s을(를) 만든 기록이 사슬에 없습니다: 나중에 끼워 넣은 버전입니다",
			"version %s has no chain record: it was added after the fact",
		},
		"verify.problem.version_differs": {"버전 %s: ", "version %s: "},
		"verify.problem.field_differs": {
			"%s 값이 %s인데 그 기록 %s에는 %s(으)로 되어 있습니다",
			"%s is %s, its record %s says %s",
		},
		"verify.problem.names_record": {
			"기록 %s을(를) 가리키지만 이 버전을 만든 것은 기록 %s입니다",
			"names record %s, but record %s created it",
		},
		"verify.problem.last_seen": {
			"버전 %s: last_seen이 %s인데 기록 사슬은 %s에 이 버전을 보았습니다",
			"version %s: last_seen is %s, but the chain saw it at %s",
		},
		"verify.problem.version_missing": {
			"버전 %s(기록 %s이(가) 만듦)이(가) 없습니다: 지워졌습니다",
			"version %s, created by record %s, is missing: it was deleted",
		},
		"verify.problem.current_missing":  {"현재 버전 %s이(가) 없습니다", "the current version %s does not exist"},
		"verify.problem.blob_unreadable":  {"읽을 수 없습니다", "unreadable"},
		"verify.problem.blob_bad_key":     {"블롭 키 %s은(는) SHA-256이 아닙니다", "blob key %s is not a SHA-256"},
		"verify.problem.blob_undecodable": {"저장된 형태를 풀 수 없습니다", "its stored form cannot be decoded"},
		"verify.problem.blob_altered": {
			"내용의 해시가 %s입니다: 내용이 바뀌었습니다",
			"its content hashes to %s: it was altered",
		},
		"verify.blob.unused": {"블롭 %s(어느 버전도 쓰지 않음): ", "blob %s (used by no version): "},
		"verify.blob.text":   {"버전 %s(대상 %s)의 본문(블롭 %s): ", "the text of version %s of %s (blob %s): "},
		"verify.blob.raw":    {"버전 %s(대상 %s)의 원본 페이지(블롭 %s): ", "the raw page of version %s of %s (blob %s): "},
		"verify.blob.text.missing": {
			"버전 %s(대상 %s)의 본문(블롭 %s)이 없습니다",
			"the text of version %s of %s (blob %s) is missing",
		},
		"verify.blob.raw.missing": {
			"버전 %s(대상 %s)의 원본 페이지(블롭 %s)가 없습니다",
			"the raw page of version %s of %s (blob %s) is missing",
		},
	})
}
