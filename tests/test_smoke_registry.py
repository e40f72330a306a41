from consign.services import registry, terms


def test_a_hotel_with_a_product_and_a_pair_rate_can_be_registered(
    db, ctx, make_hotel, make_product, make_terms
):
    from datetime import date

    make_hotel()
    make_product()
    make_terms(consignor="IKM-0001", rate_bp=1750, valid_from=date(2020, 10, 1))
    with db.transaction() as session:
        hotel = registry.get_hotel(session, "ATRIA")
        consignor = registry.get_consignor(session, "IKM-0001")
        assert terms.rate_on(session, hotel.id, consignor.id, date(2020, 10, 1)).rate_bp == 1750
        assert terms.rate_on(session, hotel.id, consignor.id, date(2020, 9, 30)).rate_bp == 2000
