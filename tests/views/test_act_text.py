from compliance.views.act_text import TextBlock, parse_act_text


def test_parse_act_text_headings_paragraphs_and_items():
    text = ("1. Общие положения\n\nПорядок регламентирует\nпроцесс создания групп.\n\n- информационная;\n- контрольная.\n\n"
            "2.1. Издание приказа о создании групп.\n")
    assert parse_act_text(text) == (
        TextBlock("heading", "1. Общие положения"),
        TextBlock("paragraph", "Порядок регламентирует процесс создания групп."),
        TextBlock("item", "– информационная;"),
        TextBlock("item", "– контрольная."),
        TextBlock("paragraph", "2.1. Издание приказа о создании групп."),
    )


def test_parse_act_text_heading_loses_trailing_colon():
    assert parse_act_text("3. Функции администратора групп:") == (TextBlock("heading", "3. Функции администратора групп"),)
