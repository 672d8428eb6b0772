@managing_offenders
Feature: Managing offenders and suspects
  The inspectorate found that breaches found at visits to registered sex offenders were not always
  recorded, that devices were not always examined, and that outstanding suspects were not all
  risk-graded or actively traced.

  Background:
    Given the PEEL pack
    And the assessment date is 2022-04-01

  @area_for_improvement
  Scenario Outline: Devices are examined and breaches recorded at sex offender visits
    Given a sex_offender_visit record "V-1" with:
      | visited_on        | 2022-02-01 |
      | devices_present   | <devices>  |
      | devices_examined  | <examined> |
      | breach_identified | <breach>   |
      | breach_recorded   | <recorded> |
    When the assessment runs
    Then rule MOS-003 is <devices_outcome> for record V-1
    And rule MOS-002 is <breach_outcome> for record V-1

    Examples:
      | devices | examined | breach | recorded | devices_outcome | breach_outcome |
      | true    | true     | true   | true     | met             | met            |
      | true    | false    | true   | false    | not met         | not met        |
      | false   |          | false  |          | not applicable  | not applicable |
      | true    |          | true   |          | not recorded    | not recorded   |

  @finding @boundary
  Scenario Outline: A supervisor reviews the visit within 14 days
    Given a sex_offender_visit record "V-1" with:
      | visited_on             | 2022-02-01 |
      | supervisor_reviewed_on | <reviewed> |
    When the assessment runs
    Then record V-1 <outcome> rule MOS-004

    Examples:
      | reviewed   | outcome             |
      | 2022-02-01 | passes              |
      | 2022-02-15 | passes              |
      | 2022-02-16 | fails               |
      | 2022-01-31 | fails               |
      |            | is not recorded for |

  @finding @boundary
  Scenario Outline: A review not yet due is left out; a recent visit already reviewed counts
    Given the assessment date is 2022-04-01
    And a sex_offender_visit record "V-2" with:
      | visited_on             | <visited>  |
      | supervisor_reviewed_on | <reviewed> |
    When the assessment runs
    Then record V-2 <outcome> rule MOS-004

    Examples:
      | visited    | reviewed   | outcome              |
      | 2022-03-27 |            | is not applicable to |
      | 2022-03-18 |            | is not applicable to |
      | 2022-03-17 |            | is not recorded for  |
      | 2022-03-27 | 2022-03-29 | passes               |

  @finding @boundary
  Scenario Outline: A suspect wanted on PNC has documented activity reviewed by a supervisor in the last 28 days
    Given an outstanding_suspect record "S-1" with:
      | status                 | outstanding |
      | risk_grade             | high        |
      | wanted_on_pnc          | true        |
      | activity_documented    | <activity>  |
      | supervisor_reviewed_on | <reviewed>  |
    When the assessment runs
    Then record S-1 <outcome> rule MOS-006
    And record S-1 passes rule MOS-005

    Examples:
      | activity | reviewed   | outcome             |
      | true     | 2022-03-20 | passes              |
      | true     | 2022-03-04 | passes              |
      | true     | 2022-03-03 | fails               |
      | false    | 2022-03-20 | fails               |
      | true     |            | is not recorded for |

  @finding @boundary
  Scenario Outline: A suspect named in the last 28 days is not yet due a review
    A supervisor's review is due within 28 days; a suspect named less than 28 days before the
    assessment date, with activity documented, has not missed it yet.
    Given an outstanding_suspect record "S-1" with:
      | status                 | outstanding |
      | wanted_on_pnc          | true        |
      | activity_documented    | true        |
      | identified_on          | <named>     |
    When the assessment runs
    Then record S-1 <outcome> rule MOS-006

    Examples:
      | named      | outcome             |
      | 2022-03-25 | passes              |
      | 2022-03-04 | passes              |
      | 2022-03-03 | is not recorded for |

  @finding
  Scenario: Every outstanding suspect is risk-graded; other suspects are not judged
    Given these outstanding_suspect records:
      | suspect_ref | status               | risk_grade | voluntary_attendance_recorded_on_system |
      | S-1         | outstanding          | medium     |                                         |
      | S-2         | outstanding          |            |                                         |
      | S-3         | charged              |            |                                         |
      | S-4         | voluntary_attendance |            | false                                   |
    When the assessment runs
    Then rule MOS-005 lists records S-2
    And record S-3 is not applicable to rule MOS-005
    And record S-4 fails rule MOS-007

  @finding @boundary
  Scenario Outline: A practice the force attests to counts only with a yes, evidence, and a review in the last year
    Given these attestation records:
      | attestation_ref | question   | scope       | answer | evidence_ref     | last_reviewed_on |
      | YES             | <question> | whole force | yes    | Board minutes 21 | 2021-04-01       |
      | NO              | <question> | whole force | no     | Board minutes 21 | 2021-10-01       |
      | NO-EVIDENCE     | <question> | whole force | yes    |                  | 2021-10-01       |
      | STALE           | <question> | whole force | yes    | Board minutes 20 | 2021-03-31       |
      | UNDATED         | <question> | whole force | yes    | Board minutes 21 |                  |
    When the assessment runs
    Then rule <rule> has 5 applicable, 1 compliant, 3 non-compliant and 1 not recorded records
    And rule <rule> lists records NO, NO-EVIDENCE, STALE and UNDATED

    Examples:
      | rule    | question                           |
      | MOS-008 | iom_evaluation                     |
      | MOS-009 | outstanding_suspects_countable     |
      | MOS-010 | child_abuse_image_database_uploads |
