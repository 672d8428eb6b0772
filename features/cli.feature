@cli
Feature: The peelcheck command line
  The command is what a force runs in its own pipeline, so its contract matters as much as any
  rule (each scenario copies the packs, the core and the West Mercia overlay that extends it): every problem in a pack is listed with its file, line and column; exit code 0 means no gaps,
  1 means gaps were found, 2 means the pack, the records or the command itself were wrong; and a
  bad row in a record file is named by its file and row.

  Scenario: A sound pack validates
    Given a copy of "rules" in "rules"
    When I run "peelcheck validate rules/west-mercia"
    Then the exit code is 0 (no gaps)
    And the output contains "rules/west-mercia: ok:"

  Scenario: A deliberately broken pack lists every problem, each with file, line and column
    Given a copy of "rules" in "broken"
    And a file "broken/peel-core/investigating/INV-997.yaml" containing:
      """
      id: INV-997
      title: A rule with a misspelt operator
      area: investigating
      kind: finding
      severity: high
      source:
        document: P21
        section: Investigating crime
        quote: An example of a broken rule.
      record_type: case_file
      expect:
        dvpn_considered: {equals_to: true}
      remediation: Fix the operator.
      """
    And a file "broken/peel-core/investigating/INV-998.yaml" containing:
      """
      id: INV-998
      title: A rule citing a document and a field that do not exist
      area: investigating
      kind: finding
      severity: high
      source:
        document: P99
        section: Investigating crime
        quote: An example of a broken rule.
      record_type: case_file
      expect:
        no_such_field: true
      remediation: Cite a declared document and a real field.
      """
    And the file "broken/peel-core/protecting-vulnerable-people/PVP-001.yaml" with "severity: high" replaced by "severity: hgh"
    When I run "peelcheck validate broken/west-mercia"
    Then the exit code is 1 (problems found)
    And the command reports 4 errors
    And every error names its file, line and column
    And the command reports an error at "broken/peel-core/investigating/INV-997.yaml:12:21" with code "unknown-operator"
    And the command reports an error at "broken/peel-core/investigating/INV-998.yaml:7:3" with code "unknown-document"
    And the command reports an error at "broken/peel-core/investigating/INV-998.yaml:12:3" with code "unknown-field"
    And the command reports an error at "broken/peel-core/protecting-vulnerable-people/PVP-001.yaml:5:11" with code "invalid-value"

  Scenario: Two rules with the same id are an error, never a silent skip
    Given a copy of "rules" in "rules"
    And a copy of "rules/peel-core/investigating/INV-001.yaml" in "rules/peel-core/investigating/INV-001-copy.yaml"
    When I run "peelcheck validate rules/west-mercia"
    Then the exit code is 1 (problems found)
    And the command reports 2 errors
    And the command reports an error at "rules/peel-core/investigating/INV-001-copy.yaml:1:1" with code "duplicate-rule-id"
    And the command reports an error at "rules/peel-core/investigating/INV-001.yaml:1:1" with code "duplicate-rule-id"
    And every error names its file, line and column

  Scenario: Records that meet every rule that applies give exit code 0
    Given a copy of "rules" in "rules"
    And a file "disposals.yaml" containing:
      """
      record_type: out_of_court_disposal
      records:
        - disposal_ref: OOCD-1
          disposal_type: caution
          victim_identified: true
          given_at: 2021-03-03T14:00:00
          victim_views_sought_at: 2021-03-02T10:00:00
          victim_views_recorded_at: 2021-03-02T10:30:00
          victim_informed_after_at: 2021-03-04T09:00:00
          offender_meets_national_criteria: true
      """
    When I run "peelcheck assess --pack rules/west-mercia --as-of 2022-04-01 disposals.yaml"
    Then the exit code is 0 (no gaps)

  Scenario: A gap gives exit code 1, and the JSON report says which rule is not met
    Given a copy of "rules" in "rules"
    And a file "disposals.yaml" containing:
      """
      record_type: out_of_court_disposal
      records:
        - disposal_ref: OOCD-2
          disposal_type: caution
          victim_identified: true
          given_at: 2021-03-03T14:00:00
          victim_views_sought_at: 2021-03-04T08:30:00
          victim_views_recorded_at: 2021-03-04T09:00:00
          victim_informed_after_at: 2021-03-04T09:00:00
          offender_meets_national_criteria: true
      """
    When I run "peelcheck assess --pack rules/west-mercia --as-of 2022-04-01 --format json disposals.yaml"
    Then the exit code is 1 (gaps)
    And the JSON report shows rule INV-001 as not met
    And the JSON report shows rule INV-009 as met
    And the JSON report shows rule PVP-001 as not assessed

  Scenario: --fail-on never reports the gaps but exits 0
    Given a copy of "rules" in "rules"
    And a file "case_file.csv" containing:
      """
      case_ref,domestic_abuse,victim_withdrew_support,suspect_identified,suspect_age,dvpn_considered
      DA-1,true,true,true,34,false
      """
    When I run "peelcheck assess --pack rules/west-mercia --as-of 2022-04-01 --fail-on never --format json case_file.csv"
    Then the exit code is 0 (no gaps)
    And the JSON report shows rule PVP-001 as not met

  Scenario: A bad row in a record file is named by file and row, with exit code 2
    Given a copy of "rules" in "rules"
    And a file "case_file.csv" containing:
      """
      case_ref,domestic_abuse,outcome_code
      CF-1,true,1
      CF-2,true,sixteen
      CF-3,perhaps,16
      """
    When I run "peelcheck assess --pack rules/west-mercia --as-of 2022-04-01 case_file.csv"
    Then the exit code is 2 (error)
    And the command reports 2 errors
    And the command reports an error at "case_file.csv:3" with code "bad-record"
    And the command reports an error at "case_file.csv:4" with code "bad-record"
    And the error output contains "outcome_code"
    And the error output contains "domestic_abuse"

  Scenario: A column the record type does not have is an error naming the file
    Given a copy of "rules" in "rules"
    And a file "case_file.csv" containing:
      """
      case_ref,domestic_abuse,dvpn_consdered
      CF-1,true,true
      """
    When I run "peelcheck assess --pack rules/west-mercia --as-of 2022-04-01 case_file.csv"
    Then the exit code is 2 (error)
    And the command reports an error at "case_file.csv:1" with code "unknown-column"

  Scenario: A record file that does not exist is a usage error
    Given a copy of "rules" in "rules"
    When I run "peelcheck assess --pack rules/west-mercia --as-of 2022-04-01 no-such-file.csv"
    Then the exit code is 2 (error)
    And the command reports an error at "no-such-file.csv" with code "no-such-file"

  Scenario: The python engine gives the same exit code
    Given a copy of "rules" in "rules"
    And a file "case_file.csv" containing:
      """
      case_ref,domestic_abuse,victim_withdrew_support,suspect_identified,suspect_age,dvpn_considered
      DA-1,true,true,true,34,false
      """
    When I run "peelcheck assess --pack rules/west-mercia --as-of 2022-04-01 --engine python case_file.csv"
    Then the exit code is 1 (gaps)
